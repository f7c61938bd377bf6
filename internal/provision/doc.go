// Package provision writes the artifacts that enforce a tenant's isolation on
// the database engines — PostgreSQL and teardown SQL, Redis ACL lines,
// MongoDB and Elasticsearch role documents, ClickHouse SQL — from its
// rendered configuration alone, so they are known at plan time.
//
// FromConfig extracts a typed Input from a rendered configuration tree;
// Generate checks every value that reaches an artifact against allow-lists
// and the tenant id, and writes deterministic artifacts. Nothing a user
// writes reaches an artifact unchecked: names are "<id>_<suffix>", Redis key
// prefixes "<word>:<id>:", privileges and commands come from fixed tables,
// and identifiers are quoted all the same. The package knows nothing of
// Terraform.
package provision
