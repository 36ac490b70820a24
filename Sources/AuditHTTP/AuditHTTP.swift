// AuditHTTP
