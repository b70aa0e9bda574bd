-- A municipality compared with itself would pull its peer average towards its own figure.
select
    municipality_code,
    peer_municipality_code
from {{ ref('peer_municipalities') }}
where municipality_code = peer_municipality_code
