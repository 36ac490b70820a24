// AuditOIDC
