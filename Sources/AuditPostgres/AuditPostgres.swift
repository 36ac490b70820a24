// AuditPostgres
