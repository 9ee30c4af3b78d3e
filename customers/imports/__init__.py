"""Import of the customer database from CSV or XLSX (docs/file-formats.md, "Customers").

`service.customers_import()` is the entry point. It reads the file, checks the header and the
cells (`checking`, `cells`) and every row (`row_checker`), matches the rows to customers
(`matching`), works out what changes (`writer`) and writes it (`store`, with `COPY` on
PostgreSQL). The browser import keeps the upload and queues the import as a run (`views`,
`forms`, `jobs`, `runs`; the task is `customers.tasks.import_run_task`).
"""
