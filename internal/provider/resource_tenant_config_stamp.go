package provider

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/json"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// A tenant's plan that changes nothing need not render again: the stamp, in
// the tenant's own private state, holds the fingerprint of the render that
// produced its state (render.Fingerprint: the inputs, the catalog's digest
// and the provider's build, keyed with a salt drawn for this tenant). When
// the fingerprint of the planned inputs is the stamp's, the prior rendering
// is the plan. Nothing is shared between tenants, and a secret enters the
// stamp only through the salted digest.

// stampKey is the private state key of the stamp.
const stampKey = "render"

// renderStamp is what the private state holds.
type renderStamp struct {
	Salt        []byte `json:"salt"`
	Fingerprint string `json:"fingerprint"`
}

// privateData is the private state of a resource in a request or response.
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// readStamp returns the stamp of a private state; nil when there is none
// or it cannot be read (the plan then renders).
func readStamp(ctx context.Context, p privateData) *renderStamp {
	if p == nil {
		return nil
	}
	data, diags := p.GetKey(ctx, stampKey)
	var s renderStamp
	if diags.HasError() || len(data) == 0 || json.Unmarshal(data, &s) != nil || len(s.Salt) == 0 || s.Fingerprint == "" {
		return nil
	}
	return &s
}

// fingerprint is the fingerprint of in under salt with the provider's
// catalog and build; false when there can be none.
func (r *tenantConfigResource) fingerprint(salt []byte, in render.Input) (string, bool) {
	if r.data == nil || r.data.catalog == nil {
		return "", false
	}
	fp, err := render.Fingerprint(salt, r.data.catalog, r.data.build, in)
	return fp, err == nil
}

// reuseRender sets m's rendering to prior's, and reports true, when stamp
// proves that prior was rendered from in with this catalog and build. The
// warnings of the render are given again.
func (r *tenantConfigResource) reuseRender(ctx context.Context, m, prior *tenantConfigModelV1, stamp *renderStamp, in render.Input, diags *diag.Diagnostics) bool {
	if stamp == nil || prior == nil || prior.RenderedJSON.IsNull() || prior.RenderedJSON.IsUnknown() {
		return false
	}
	fp, ok := r.fingerprint(stamp.Salt, in)
	if !ok || !hmac.Equal([]byte(fp), []byte(stamp.Fingerprint)) {
		return false
	}
	m.RenderedJSON, m.RenderedJSONSensitive, m.Checksum = prior.RenderedJSON, prior.RenderedJSONSensitive, prior.Checksum
	m.Limits, m.Databases, m.Isolation = prior.Limits, prior.Databases, prior.Isolation
	m.EncryptedYAML = plannedCiphertext(m, prior)
	for _, w := range render.Warnings(in) {
		diags.AddAttributeWarning(problemPath(w), w.Summary, problemDetail(w))
	}
	tflog.SubsystemDebug(ctx, logSubsystem, "tenant configuration unchanged: the prior render is the plan", map[string]any{"tenant_id": in.TenantID})
	return true
}

// writeStamp stamps the applied state m into the private state: it renders
// m's inputs once more and stamps only when that gives exactly m's
// rendering, so a stamp always certifies what it names (a catalog or a
// provider changed between plan and apply leaves no stamp, and the next
// plan renders). salt is the prior stamp's, or nil to draw a new one.
func (r *tenantConfigResource) writeStamp(ctx context.Context, m *tenantConfigModelV1, salt []byte, private privateData, diags *diag.Diagnostics) {
	if private == nil || r.data == nil || r.data.catalog == nil || r.data.build == "" {
		return
	}
	var quiet diag.Diagnostics // a render that fails now only leaves no stamp
	in, ok := renderInput(ctx, m, &quiet)
	if !ok {
		return
	}
	_, res := r.renderResult(ctx, in, &quiet)
	if res == nil || res.JSON != m.RenderedJSON.ValueString() || res.Checksum != m.Checksum.ValueString() ||
		res.Sensitive != !m.RenderedJSONSensitive.IsNull() || res.Sensitive && res.SensitiveJSON != m.RenderedJSONSensitive.ValueString() {
		return
	}
	if len(salt) == 0 {
		salt = make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return
		}
	}
	fp, ok := r.fingerprint(salt, in)
	if !ok {
		return
	}
	data, err := json.Marshal(renderStamp{Salt: salt, Fingerprint: fp})
	if err == nil {
		diags.Append(private.SetKey(ctx, stampKey, data)...)
	}
}

// buildIdentity names the provider's build for fingerprints: the release
// version, or for a development build the VCS revision it was built from.
// A build that cannot name itself (no version and no revision, or a
// modified work tree) gets "": it never reuses a render.
func buildIdentity(version string) string {
	if version != "" && version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var revision string
	modified := true
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" || modified {
		return ""
	}
	return "dev+" + revision
}
