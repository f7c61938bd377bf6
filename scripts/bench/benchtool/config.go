package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

var tiers = []string{"free", "standard", "premium", "enterprise"}

// tenant is one generated tenant.
type tenant struct {
	ID        string         `json:"-"`
	Name      string         `json:"name"`
	Tier      string         `json:"tier"`
	Overrides map[string]any `json:"overrides,omitempty"`
}

// tenantAt returns tenant i (from 0): tiers round-robin, and every third
// tenant carries small overrides, a storage alert threshold and a custom key.
func tenantAt(i int) tenant {
	t := tenant{
		ID:   fmt.Sprintf("tenant_%05d", i+1),
		Name: fmt.Sprintf("Tenant %05d", i+1),
		Tier: tiers[i%len(tiers)],
	}
	if i%3 == 0 {
		t.Overrides = map[string]any{
			"monitoring": map[string]any{"alerts": map[string]any{"storage_threshold": 70 + i%25}},
			"custom":     map[string]any{"cost_center": fmt.Sprintf("cc-%04d", i%10000)},
		}
	}
	return t
}

const tenantRequired = `terraform {
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}

`

// The for_each layout: both kinds read one variable, given in
// terraform.tfvars.json, and declare nothing else. The floor's is a
// map(string) of the rendered JSON itself, so Terraform does as little for it
// as it can for any resource holding those bytes. The tenants' is a
// map(object) whose overrides have the type of the generated overrides
// (optional(any) would not do: Terraform cannot convert a map whose elements
// have overrides of different types, null among them).
//
// tenant_config's for_each is a flat map of the tiers, made once in a local,
// and each instance reads its name and overrides from the variable by key.
// Terraform 1.11 does work for each instance that grows with the size of the
// whole for_each value: with for_each = var.tenants (or keys(var.tenants)), a plan of 1,000
// terraform_data resources fed so took 16 to 60 s of CPU against 5 to 6 s for
// a for_each over a map(string) that reads the same variable by key, which
// would have put a cost of Terraform's own on one side only.
const (
	tenantForEach = `variable "tenants" {
  type = map(object({
    name      = string
    tier      = string
    overrides = optional(%s)
  }))
}

locals {
  tiers = { for id, t in var.tenants : id => t.tier }
}

resource "tenant_config" "t" {
  for_each = local.tiers

  tenant_id   = each.key
  tenant_name = var.tenants[each.key].name
  tier        = each.value
  overrides   = var.tenants[each.key].overrides
}
`
	floorForEach = `variable "tenants" {
  type = map(string)
}

resource "terraform_data" "t" {
  for_each = var.tenants

  input = each.value
}
`
)

// configCmd writes one benchmark configuration into -dir: N tenant_config
// resources (kind tenant), or the floor, N terraform_data resources whose
// input is the rendered_json of the same tenants, read from the
// <tenant_id>.json files of -rendered (kind floor).
//
// Layout for_each (the default) writes main.tf, one resource block with
// for_each over a variable, and terraform.tfvars.json, the variable's value:
// for tenant_config a map(object) of name, tier and overrides; for the floor
// a map(string) of the rendered JSON. Layout blocks writes main.tf alone, one
// resource block per tenant with literal values (the floor's JSON as a string
// literal). Neither reads a file from the configuration nor decodes JSON in
// it.
//
// -change ID (kind tenant) raises that tenant's storage alert threshold by
// one: the one changed override value whose plan the benchmark measures in
// an applied fleet. The floor's counterpart is written from a -rendered
// folder that holds the changed tenant's new rendering.
func configCmd(args []string) error {
	fs := flag.NewFlagSet("config", flag.ExitOnError)
	kind := fs.String("kind", "", "tenant or floor")
	n := fs.Int("n", 0, "number of tenants")
	dir := fs.String("dir", "", "directory to write")
	layout := fs.String("layout", "for_each", "for_each (one resource block over a variable) or blocks (one block per tenant)")
	rendered := fs.String("rendered", "", "floor: folder of <tenant_id>.json files (read now, not by Terraform)")
	change := fs.String("change", "", "tenant: raise this tenant_id's storage alert threshold by one")
	_ = fs.Parse(args)
	if *n <= 0 || *dir == "" || *kind != kindTenant && *kind != kindFloor || *layout != "for_each" && *layout != "blocks" {
		fs.Usage()
		return errors.New("need -kind tenant|floor, -n > 0, -dir and -layout for_each|blocks")
	}
	if *kind == kindFloor && *rendered == "" {
		return errors.New("the floor needs -rendered")
	}
	if *change != "" && *kind != kindTenant {
		return errors.New("-change is for -kind tenant (the floor's change comes from -rendered)")
	}
	ts := make([]tenant, *n)
	changed := false
	for i := range ts {
		ts[i] = tenantAt(i)
		if ts[i].ID == *change {
			if err := raiseThreshold(ts[i]); err != nil {
				return err
			}
			changed = true
		}
	}
	if *change != "" && !changed {
		return fmt.Errorf("-change %s: no such tenant among the first %d", *change, *n)
	}
	var texts map[string]string
	if *kind == kindFloor {
		texts = make(map[string]string, len(ts))
		for _, t := range ts {
			data, err := os.ReadFile(filepath.Join(*rendered, t.ID+renderedExt))
			if err != nil {
				return err
			}
			texts[t.ID] = string(data)
		}
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("# Generated by scripts/bench.sh: " + describe(*kind, *n, *layout, *change) + "\n\n")
	if *kind == kindTenant {
		b.WriteString(tenantRequired)
	}
	switch {
	case *layout == "for_each":
		var vars any
		if *kind == kindTenant {
			doc := make(map[string]tenant, len(ts))
			for _, t := range ts {
				doc[t.ID] = t
			}
			vars = doc
			fmt.Fprintf(&b, tenantForEach, hclType(tenantAt(0).Overrides, "    "))
		} else {
			vars = texts
			b.WriteString(floorForEach)
		}
		data, err := json.MarshalIndent(map[string]any{"tenants": vars}, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*dir, "terraform.tfvars.json"), append(data, '\n'), 0o644); err != nil {
			return err
		}
	case *kind == kindTenant:
		for _, t := range ts {
			fmt.Fprintf(&b, "resource \"tenant_config\" %q {\n  tenant_id   = %s\n  tenant_name = %s\n  tier        = %s\n",
				t.ID, hclQuote(t.ID), hclQuote(t.Name), hclQuote(t.Tier))
			if t.Overrides != nil {
				b.WriteString("  overrides   = ")
				writeHCL(&b, t.Overrides, "  ")
				b.WriteString("\n")
			}
			b.WriteString("}\n\n")
		}
	default:
		for _, t := range ts {
			fmt.Fprintf(&b, "resource \"terraform_data\" %q {\n  input = %s\n}\n\n", t.ID, hclQuote(texts[t.ID]))
		}
	}
	return os.WriteFile(filepath.Join(*dir, "main.tf"), b.Bytes(), 0o644)
}

func describe(kind string, n int, layout, change string) string {
	what := "tenant_config resources"
	if kind == kindFloor {
		what = "terraform_data resources holding the same rendered JSON (the floor)"
	}
	if change != "" {
		what += ", " + change + "'s storage alert threshold raised by one"
	}
	return fmt.Sprintf("%d %s, layout %s.", n, what, layout)
}

// raiseThreshold adds one to t's monitoring.alerts.storage_threshold
// override, which tenantAt gives every third tenant.
func raiseThreshold(t tenant) error {
	monitoring, _ := t.Overrides["monitoring"].(map[string]any)
	alerts, _ := monitoring["alerts"].(map[string]any)
	v, ok := alerts["storage_threshold"].(int)
	if !ok {
		return fmt.Errorf("-change %s: the tenant has no storage_threshold override (every third tenant has one, from %s)",
			t.ID, tenantAt(0).ID)
	}
	alerts["storage_threshold"] = v + 1
	return nil
}

// writeHCL writes an HCL object literal of maps, strings and integers.
func writeHCL(b *bytes.Buffer, v any, indent string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteString("{\n")
		for _, k := range keys {
			b.WriteString(indent + "  " + k + " = ")
			writeHCL(b, x[k], indent+"  ")
			b.WriteString("\n")
		}
		b.WriteString(indent + "}")
	case string:
		b.WriteString(hclQuote(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	default:
		panic(fmt.Sprintf("writeHCL: unsupported %T", v))
	}
}

// hclType returns the Terraform type of a value of maps, strings and
// integers, maps as objects.
func hclType(v any, indent string) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var b strings.Builder
		b.WriteString("object({\n")
		for _, k := range keys {
			b.WriteString(indent + "  " + k + " = " + hclType(x[k], indent+"  ") + "\n")
		}
		b.WriteString(indent + "})")
		return b.String()
	case string:
		return "string"
	case int:
		return "number"
	default:
		panic(fmt.Sprintf("hclType: unsupported %T", v))
	}
}

// hclQuote returns s as an HCL quoted string literal that evaluates to s
// exactly: HCL's escapes only (\n, \r, \t, \", \\, \uNNNN), and template
// sequences kept literal ($${ and %%{).
func hclQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8 + 2)
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
