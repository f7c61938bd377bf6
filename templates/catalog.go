// Package templates holds the default tier catalog of the provider: one YAML
// file per template (tenant.yml, the base every tier extends, and one file per
// tier) and the JSON Schema that every rendered configuration conforms to. The
// files are embedded in the provider binary; a custom catalog directory has
// the same format.
package templates

import "embed"

// FS is the embedded default catalog: the *.yml tier files and the JSON Schema
// of the rendered configuration.
//
//go:embed *.yml tenant-config.schema.json
var FS embed.FS

// SchemaFile is the name of the JSON Schema of the rendered configuration in FS.
const SchemaFile = "tenant-config.schema.json"
