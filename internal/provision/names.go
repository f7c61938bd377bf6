package provision

// SensitiveMarker stands for a value from a sensitive input in a rendered
// configuration without secrets (rendered_json). The artifacts cannot be
// derived from a value they do not see: reading the marker where a value is
// needed is an error that says so.
const SensitiveMarker = "(sensitive)"

// sensitiveError is the error of a value that the configuration shows as the
// marker.
func sensitiveError(path string) *Error {
	return errorf(path, "this value comes from a sensitive input, so the configuration without secrets shows it only as %s: "+
		"derive the artifacts from the full configuration (rendered_json_sensitive), or set this value in overrides", SensitiveMarker)
}
