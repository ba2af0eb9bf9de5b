package miraklfake

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// skeleton is the smallest value a schema accepts: its required
// properties, each at its smallest. The fake's answers start from the
// skeleton of their schema and set what the fake knows, so that the many
// fields Mirakl requires (an order has dozens) are there without the fake
// spelling out each one.
func skeleton(s *openapi3.SchemaRef, depth int) any {
	if s == nil || s.Value == nil || depth > 12 {
		return nil
	}
	v := s.Value
	if len(v.AllOf) > 0 {
		out := map[string]any{}
		for _, a := range v.AllOf {
			if m, ok := skeleton(a, depth+1).(map[string]any); ok {
				for k, x := range m {
					out[k] = x
				}
			}
		}
		return out
	}
	switch {
	case v.Type.Is("object") || (v.Type == nil && len(v.Properties) > 0):
		out := map[string]any{}
		for _, name := range v.Required {
			out[name] = skeleton(v.Properties[name], depth+1)
		}
		return out
	case v.Type.Includes("array"):
		items := []any{}
		for range v.MinItems {
			items = append(items, skeleton(v.Items, depth+1))
		}
		return items
	case v.Type.Includes("string"):
		switch v.Format {
		case "date-time":
			return "2026-01-01T00:00:00Z"
		case "date":
			return "2026-01-01"
		}
		if len(v.Enum) > 0 {
			return v.Enum[0]
		}
		return strings.Repeat("x", int(v.MinLength))
	case v.Type.Includes("integer"), v.Type.Includes("number"):
		if v.Min != nil {
			return *v.Min
		}
		return 0
	case v.Type.Includes("boolean"):
		return false
	}
	return nil
}

// schemaOf returns a component schema by name.
func (s *Server) schemaOf(name string) *openapi3.SchemaRef {
	return s.doc.Components.Schemas[name]
}

// fill is the skeleton of component schema name with fields set over it.
func (s *Server) fill(name string, fields map[string]any) map[string]any {
	m, _ := skeleton(s.schemaOf(name), 0).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	for k, v := range fields {
		m[k] = v
	}
	return m
}
