package provider

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// maskSecrets returns ctx with every secret masked in the provider's log
// messages and field values, at every level.
func maskSecrets(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	ctx = tflog.SubsystemMaskMessageStrings(ctx, logSubsystem, secrets...)
	return tflog.SubsystemMaskAllFieldValuesStrings(ctx, logSubsystem, secrets...)
}

// encryptYAML encrypts text to the age recipients, ASCII-armored.
func encryptYAML(text string, recipients []string) (string, error) {
	rs := make([]age.Recipient, 0, len(recipients))
	for i, r := range recipients {
		rec, err := age.ParseX25519Recipient(r)
		if err != nil {
			return "", fmt.Errorf("encrypt_to[%d]: %w", i, err)
		}
		rs = append(rs, rec)
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, rs...)
	if err != nil {
		return "", err
	}
	if _, err := io.WriteString(w, text); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	if err := aw.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// ageRecipientValidator checks that a string is an age X25519 recipient.
type ageRecipientValidator struct{}

func (ageRecipientValidator) Description(context.Context) string {
	return "an age X25519 recipient (age1...)"
}

func (v ageRecipientValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (ageRecipientValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	// A recipient is 62 characters: anything much longer is refused before
	// it is parsed, and the message never repeats more than its start (the
	// parser's own error quotes the whole value).
	if len(s) > 100 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid age recipient",
			fmt.Sprintf("%s is not an age X25519 recipient: a recipient is the 62-character public key that age-keygen prints, starting with age1.", render.QuoteShort(s)))
		return
	}
	if _, err := age.ParseX25519Recipient(s); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid age recipient",
			fmt.Sprintf("%s is not an age X25519 recipient: %s. A recipient is the public key that age-keygen prints, starting with age1.",
				render.QuoteShort(s), strings.TrimPrefix(strings.TrimPrefix(err.Error(), "malformed recipient "), strconv.Quote(s)+": ")))
	}
}
