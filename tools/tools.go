// Copyright (c) The terraform-provider-tenant authors
// SPDX-License-Identifier: MPL-2.0

//go:build generate

// Package tools pins the developer tools of the provider (see the tool
// directives in go.mod) and holds the go:generate steps that keep the
// examples formatted and the documentation under docs/ up to date.
//
// Run them from the repository root with `make generate`, or from this
// folder with `go generate ./...` (go generate sets the "generate" build tag
// itself, so ordinary builds never see this file).
package tools

// Format the Terraform configurations under examples/.
//go:generate terraform fmt -recursive ../examples/

// Render docs/ from the provider schema, the templates and examples/.
//
// tfplugindocs calls its templates folder the "website source dir"; the
// path is joined onto --provider-dir. Ours is templates/docs and not the
// default templates/, because templates/ holds the YAML tier catalog.
// tfplugindocs uses the terraform binary found on PATH.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name tenant --website-source-dir templates/docs
