// Package tree holds generic configuration trees and the operations the
// provider performs on them: parsing YAML templates, merging layers,
// substituting ${VAR} placeholders and writing canonical YAML.
//
// A tree value is exactly one of:
//
//   - map[string]any (a map; keys are strings)
//   - []any (a list)
//   - string
//   - int64
//   - float64
//   - json.Number (a number neither int64 nor float64 holds exactly, as its
//     decimal text)
//   - bool
//   - nil
//   - *Template (a string with placeholders, only before substitution)
//
// Trees are treated as immutable values: no function in this package
// modifies its input, and results share every subtree that did not change.
// Callers must not modify a tree after handing it to this package or after
// receiving it from this package, since parts of it may be shared.
// Trees must be acyclic; CheckLimits bounds the depth of untrusted input.
// All functions are safe for concurrent use.
//
// Paths in error messages are dotted map keys, with list indexes written in
// brackets, for example "databases.postgresql.replicas[0].host".
package tree
