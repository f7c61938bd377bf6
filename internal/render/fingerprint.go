package render

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// Fingerprint is a keyed digest of everything the render of in depends on:
// every field of in, the catalog (its Digest), the build of the provider,
// and extra, the caller's own inputs that its results depend on. The same
// salt, the same fingerprint means the same render, so a caller that kept
// the fingerprint of an earlier render next to its result may reuse that
// result instead of rendering again.
//
// The digest is an HMAC-SHA256 keyed with salt, which the caller draws at
// random for each tenant: it covers the secrets of in, and without the key
// it is no way to guess them. It is an error to pass an empty salt or an
// empty build (a build that cannot tell itself from another one must not
// reuse a render).
func Fingerprint(salt []byte, cat *catalog.Catalog, build string, in Input, extra ...string) (string, error) {
	if len(salt) < 16 || build == "" || cat == nil || cat.Digest == "" {
		return "", errors.New("no fingerprint without a salt, a build and a catalog digest")
	}
	regulations := slices.Clone(in.Regulations)
	slices.Sort(regulations)
	doc := map[string]any{
		"build":               build,
		"catalog":             cat.Digest,
		"tenant_id":           in.TenantID,
		"tenant_name":         in.TenantName,
		"tier":                in.Tier,
		"environment":         in.Environment,
		"region":              in.Region,
		"timezone":            in.Timezone,
		"overrides":           in.Overrides,
		"sensitive_overrides": in.SensitiveOverrides,
		"variables":           stringsTree(in.Variables),
		"sensitive_variables": stringsTree(in.SensitiveVariables),
		"regulations":         anyList(regulations),
		"extra":               anyList(extra),
	}
	text, err := tree.EncodeJSON(doc)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, salt)
	mac.Write(text)
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// Warnings returns the warnings Render gives for in, without rendering: for
// a caller that reuses an earlier render of the same input (Fingerprint).
func Warnings(in Input) Problems {
	cs, err := configSchema()
	if err != nil {
		return nil
	}
	overrides, problems := compileOverrides(cs, in.Overrides, FieldOverrides)
	secret, more := compileOverrides(cs, in.SensitiveOverrides, FieldSensitiveOverrides)
	if len(problems) > 0 || len(more) > 0 {
		return nil
	}
	return maskProblems(secretLookingKeys(overrides, secret, in.SensitiveVariables), SecretStrings(in))
}

func stringsTree(m map[string]string) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func anyList(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
