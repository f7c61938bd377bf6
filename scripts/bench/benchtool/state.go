package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// renderedAttr is the tenant_config attribute that carries the rendered
// configuration: the floor's input, byte for byte.
const renderedAttr = "rendered_json"

// renderedExt names the files that hold one tenant's rendered configuration:
// DIR/<tenant_id>.json.
const renderedExt = ".json"

// extractCmd writes the planned rendered_json of every tenant_config in a
// plan (the output of `terraform show -json PLANFILE`) to
// DIR/<tenant_id>.json: the floor's input, rendered by the provider itself.
// With -only, it writes that tenant's alone.
func extractCmd(args []string) error {
	fs := flag.NewFlagSet("extract", flag.ExitOnError)
	planFile := fs.String("plan", "", "JSON of a saved plan (terraform show -json)")
	dir := fs.String("dir", "", "directory to write <tenant_id>.json files into")
	only := fs.String("only", "", "write this tenant_id's rendered configuration alone")
	_ = fs.Parse(args)
	if *planFile == "" || *dir == "" {
		fs.Usage()
		return errors.New("need -plan and -dir")
	}
	data, err := os.ReadFile(*planFile)
	if err != nil {
		return err
	}
	var plan struct {
		ResourceChanges []struct {
			Type   string `json:"type"`
			Change struct {
				After map[string]json.RawMessage `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(data, &plan); err != nil {
		return fmt.Errorf("%s: %w", *planFile, err)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	count, total := 0, 0
	for _, rc := range plan.ResourceChanges {
		if rc.Type != "tenant_config" {
			continue
		}
		var id, text string
		if err := json.Unmarshal(rc.Change.After["tenant_id"], &id); err != nil || id == "" {
			return errors.New("a tenant_config change has no tenant_id")
		}
		if *only != "" && id != *only {
			continue
		}
		if err := json.Unmarshal(rc.Change.After[renderedAttr], &text); err != nil || text == "" {
			return fmt.Errorf("%s: %s is not known in the plan", id, renderedAttr)
		}
		if err := os.WriteFile(filepath.Join(*dir, id+renderedExt), []byte(text), 0o644); err != nil {
			return err
		}
		count++
		total += len(text)
	}
	switch {
	case count == 0 && *only != "":
		return fmt.Errorf("the plan holds no tenant_config of tenant_id %s", *only)
	case count == 0:
		return errors.New("the plan holds no tenant_config")
	}
	fmt.Printf("extracted %d rendered configurations, %d bytes on average\n", count, total/count)
	return nil
}

// stateCmd checks that every instance of a state carries exactly the bytes of
// DIR/<key>.json (tenant_config: rendered_json; terraform_data: input), and
// prints the state's size per instance next to the rendered configuration's.
func stateCmd(args []string) error {
	fs := flag.NewFlagSet("state", flag.ExitOnError)
	stateFile := fs.String("state", "", "terraform.tfstate")
	dir := fs.String("rendered", "", "directory of <tenant_id>.json files")
	_ = fs.Parse(args)
	if *stateFile == "" || *dir == "" {
		fs.Usage()
		return errors.New("need -state and -rendered")
	}
	data, err := os.ReadFile(*stateFile)
	if err != nil {
		return err
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any                        `json:"index_key"`
				Attributes map[string]json.RawMessage `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("%s: %w", *stateFile, err)
	}
	n, attrBytes, renderedBytes := 0, 0, 0
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			key := r.Name
			if s, ok := in.IndexKey.(string); ok {
				key = s
			}
			var got string
			switch r.Type {
			case "tenant_config":
				err = json.Unmarshal(in.Attributes[renderedAttr], &got)
			case "terraform_data":
				var v struct {
					Value string `json:"value"`
				}
				err = json.Unmarshal(in.Attributes["input"], &v)
				got = v.Value
			default:
				continue
			}
			if err != nil {
				return fmt.Errorf("%s.%s[%s]: %w", r.Type, r.Name, key, err)
			}
			want, err := os.ReadFile(filepath.Join(*dir, key+renderedExt))
			if err != nil {
				return err
			}
			if !bytes.Equal([]byte(got), want) {
				return fmt.Errorf("%s.%s[%s]: the state does not hold the bytes of %s%s", r.Type, r.Name, key, key, renderedExt)
			}
			raw, _ := json.Marshal(in.Attributes)
			n++
			attrBytes += len(raw)
			renderedBytes += len(want)
		}
	}
	if n == 0 {
		return errors.New("the state holds no instance")
	}
	fmt.Printf("instances=%d state_bytes=%d state_per_instance=%d attributes_per_instance=%d rendered_per_instance=%d\n",
		n, len(data), len(data)/n, attrBytes/n, renderedBytes/n)
	return nil
}
