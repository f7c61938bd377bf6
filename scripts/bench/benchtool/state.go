package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// extractCmd writes the planned rendered_yaml of every tenant_config in a
// plan (the output of `terraform show -json PLANFILE`) to DIR/<tenant_id>.yaml:
// the floor's input, rendered by the provider itself.
func extractCmd(args []string) error {
	fs := flag.NewFlagSet("extract", flag.ExitOnError)
	planFile := fs.String("plan", "", "JSON of a saved plan (terraform show -json)")
	dir := fs.String("dir", "", "directory to write <tenant_id>.yaml files into")
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
			return fmt.Errorf("a tenant_config change has no tenant_id")
		}
		if err := json.Unmarshal(rc.Change.After["rendered_yaml"], &text); err != nil || text == "" {
			return fmt.Errorf("%s: rendered_yaml is not known in the plan", id)
		}
		if err := os.WriteFile(filepath.Join(*dir, id+".yaml"), []byte(text), 0o644); err != nil {
			return err
		}
		count++
		total += len(text)
	}
	if count == 0 {
		return errors.New("the plan holds no tenant_config")
	}
	fmt.Printf("extracted %d rendered configurations, %d bytes on average\n", count, total/count)
	return nil
}

// stateCmd checks that every instance of a state carries exactly the bytes of
// DIR/<key>.yaml (tenant_config: rendered_yaml; terraform_data: input), and
// prints the state's size per instance next to the YAML's.
func stateCmd(args []string) error {
	fs := flag.NewFlagSet("state", flag.ExitOnError)
	stateFile := fs.String("state", "", "terraform.tfstate")
	dir := fs.String("rendered", "", "directory of <tenant_id>.yaml files")
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
	n, attrBytes, yamlBytes := 0, 0, 0
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			key := r.Name
			if s, ok := in.IndexKey.(string); ok {
				key = s
			}
			var got string
			switch r.Type {
			case "tenant_config":
				err = json.Unmarshal(in.Attributes["rendered_yaml"], &got)
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
			want, err := os.ReadFile(filepath.Join(*dir, key+".yaml"))
			if err != nil {
				return err
			}
			if sha256.Sum256([]byte(got)) != sha256.Sum256(want) {
				return fmt.Errorf("%s.%s[%s]: the state does not hold the bytes of %s.yaml", r.Type, r.Name, key, key)
			}
			raw, _ := json.Marshal(in.Attributes)
			n++
			attrBytes += len(raw)
			yamlBytes += len(want)
		}
	}
	if n == 0 {
		return errors.New("the state holds no instance")
	}
	fmt.Printf("instances=%d state_bytes=%d state_per_instance=%d attributes_per_instance=%d yaml_per_instance=%d\n",
		n, len(data), len(data)/n, attrBytes/n, yamlBytes/n)
	return nil
}
