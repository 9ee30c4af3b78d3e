"""Import of the customer database (step 2.3.1's data; docs/file-formats.md, "Customers").

`service.customers_import()` is the entry point; the browser import queues it as a run
(`jobs`, `runs`, `customers.tasks`) and `store` writes what it works out.
"""
