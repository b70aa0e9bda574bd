"""The Dagster assets: landing, StatBank, dbt and publication."""

# Who answers for the assets: shown on every asset in the Dagster UI. One team owns the whole
# pipeline; a deployment that splits the work changes it here.
OWNER = "team:noegletal"
