package render

import (
	"fmt"
	"strings"
)

// Field names the input an error is about.
type Field string

// The inputs a Problem can point at.
const (
	FieldTenantID    Field = "tenant_id"
	FieldTenantName  Field = "tenant_name"
	FieldTier        Field = "tier"
	FieldEnvironment Field = "environment"
	FieldRegion      Field = "region"
	FieldTimezone    Field = "timezone"
	FieldOverrides   Field = "overrides"
	FieldVariables   Field = "variables"
	FieldRegulations Field = "regulations"
	// FieldSensitiveOverrides and FieldSensitiveVariables are the inputs
	// whose values are secrets.
	FieldSensitiveOverrides Field = "sensitive_overrides"
	FieldSensitiveVariables Field = "sensitive_variables"
)

// Fields lists every Field: each is the name of the tenant_config argument
// a problem is reported on. A problem of the tier's template itself is
// reported on the tier.
var Fields = []Field{
	FieldTenantID, FieldTenantName, FieldTier, FieldEnvironment, FieldRegion, FieldTimezone,
	FieldOverrides, FieldVariables, FieldRegulations, FieldSensitiveOverrides, FieldSensitiveVariables,
}

// Problem is one reason a configuration cannot be rendered.
type Problem struct {
	// Field is the input the problem is about: the Terraform argument of
	// the same name.
	Field Field
	// Path is the dotted path inside the rendered configuration (and so
	// inside overrides), or the key of variables; empty when the whole
	// input is meant.
	Path string
	// Summary says what is wrong; Detail says why and how to fix it.
	Summary string
	Detail  string
}

func (p Problem) Error() string {
	where := string(p.Field)
	if p.Path != "" {
		where += " at " + p.Path
	}
	return fmt.Sprintf("%s: %s. %s", where, p.Summary, p.Detail)
}

// Problems is every problem a render found.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}
