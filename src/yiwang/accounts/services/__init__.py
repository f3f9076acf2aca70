"""Write operations on people and access. Each function is one transaction, audited, and emits
its outbox event (DESIGN §3 house rules). Views and API handlers call only these."""
