"""The annual review's pages (2.3.6): permission -> form -> service -> render.

`review` (a scope's review, export, back-test, missing results, summary, sign-off, goals),
`revisions` (revisions for next year), `results` (owners record and import results), and the
helpers they share in `common`. Pages read along the org tree like target lists
(reviews.scopes); every write is a service that checks role and scope again, so a refused POST
is a 403 whatever the page showed.
"""
