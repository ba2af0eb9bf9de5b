package api

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// The spec and the routes must describe the same API.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var spec struct {
		OpenAPI string                     `json:"openapi"`
		Paths   map[string]map[string]any  `json:"paths"`
		Comps   map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(openapiJSON, &spec); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range spec.Paths {
		for m := range ops {
			if m != "parameters" {
				documented[strings.ToUpper(m)+" "+path] = true
			}
		}
	}
	var served []string
	for _, rt := range routes {
		key := rt.method + " " + rt.path
		served = append(served, key)
		if !documented[key] {
			t.Errorf("%s is served but not in openapi.json", key)
		}
	}
	for key := range documented {
		if !slices.Contains(served, key) {
			t.Errorf("%s is in openapi.json but not served", key)
		}
	}
	// The spec marks exactly the routes refused to integration tokens.
	for _, rt := range routes {
		op, _ := spec.Paths[rt.path][strings.ToLower(rt.method)].(map[string]any)
		marked, _ := op["x-agents-only"].(bool)
		responses, _ := op["responses"].(map[string]any)
		if marked != rt.agentOnly {
			t.Errorf("%s %s: x-agents-only %v in openapi.json, agentOnly %v in routes", rt.method, rt.path, marked, rt.agentOnly)
		}
		if rt.agentOnly && responses["403"] == nil {
			t.Errorf("%s %s is for agents only but documents no 403", rt.method, rt.path)
		}
	}
	// Every $ref points to something that exists.
	var all map[string]any
	json.Unmarshal(openapiJSON, &all)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
				var cur any = all
				for _, p := range parts {
					m, _ := cur.(map[string]any)
					cur = m[p]
				}
				if cur == nil {
					t.Errorf("dangling $ref %s", ref)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(all)
}
