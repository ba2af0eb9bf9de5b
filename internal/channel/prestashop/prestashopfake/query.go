package prestashopfake

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// answer writes in the format the request asked for.
type answer struct{ json bool }

// fail writes a PrestaShop error: {"errors":[{"code":…,"message":…}]} or
// its XML form.
func (a answer) fail(w http.ResponseWriter, status, code int, msg string) {
	if a.json {
		b, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"code": code, "message": msg}}})
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(status)
		w.Write(b)
		return
	}
	var m bytes.Buffer
	xml.EscapeText(&m, []byte(msg))
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">` +
		"\n<errors>\n<error>\n<code><![CDATA[" + strconv.Itoa(code) + "]]></code>\n<message>" + m.String() + "</message>\n</error>\n</errors>\n</prestashop>\n"))
}

// filter is one filter[field]=… of a list.
type filter struct {
	field string
	match func(v string) bool
}

// parseFilter reads a filter's value in the webservice's notation.
func parseFilter(field, v string) (filter, bool) {
	f := filter{field: field}
	inner := func(s, open, close string) (string, bool) {
		if strings.HasPrefix(s, open) && strings.HasSuffix(s, close) && len(s) >= len(open)+len(close) {
			return s[len(open) : len(s)-len(close)], true
		}
		return "", false
	}
	if x, ok := inner(v, "%[", "]%"); ok {
		f.match = func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(x)) }
	} else if x, ok := inner(v, "[", "]%"); ok {
		f.match = func(s string) bool { return strings.HasPrefix(strings.ToLower(s), strings.ToLower(x)) }
	} else if x, ok := inner(v, "%[", "]"); ok {
		f.match = func(s string) bool { return strings.HasSuffix(strings.ToLower(s), strings.ToLower(x)) }
	} else if x, ok := inner(v, "![", "]"); ok {
		vals := strings.Split(x, "|")
		f.match = func(s string) bool { return !slices.ContainsFunc(vals, func(o string) bool { return equal(s, o) }) }
	} else if x, ok := inner(v, ">[", "]"); ok {
		f.match = func(s string) bool { return compare(s, x) > 0 }
	} else if x, ok := inner(v, "<[", "]"); ok {
		f.match = func(s string) bool { return compare(s, x) < 0 }
	} else if x, ok := inner(v, "[", "]"); ok {
		if lo, hi, isRange := strings.Cut(x, ","); isRange && !strings.Contains(x, "|") {
			// An interval: its first member included, its last excluded,
			// as the reference's date example says.
			f.match = func(s string) bool { return compare(s, lo) >= 0 && compare(s, hi) < 0 }
		} else {
			vals := strings.Split(x, "|")
			f.match = func(s string) bool { return slices.ContainsFunc(vals, func(o string) bool { return equal(s, o) }) }
		}
	} else {
		if strings.ContainsAny(v, "[]") {
			return f, false
		}
		f.match = func(s string) bool { return equal(s, v) }
	}
	return f, true
}

func equal(a, b string) bool {
	if a == "" {
		a = "0" // an unset id is 0
	}
	if b == "" {
		b = "0"
	}
	if a == b {
		return true
	}
	return compare(a, b) == 0
}

// compare compares numbers as numbers and the rest as MySQL's default
// collation does (case-insensitive). Ids, the most compared, are plain
// integers: compared without parsing, since filtering a list compares
// every row.
func compare(a, b string) int {
	if plainInt(a) && plainInt(b) {
		if len(a) != len(b) {
			return cmp.Compare(len(a), len(b))
		}
		return strings.Compare(a, b)
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 == nil && err2 == nil {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// plainInt: digits only, no leading zero (but "0" itself).
func plainInt(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (r *row) value(field string) string {
	if field == "id" {
		return itoa(r.id)
	}
	return r.f[field]
}

// list answers GET /api/<resource>.
func (s *Server) list(w http.ResponseWriter, a answer, res *resource, q url.Values) {
	if !a.json {
		a.fail(w, http.StatusBadRequest, 0, "the fake answers lists in JSON only: add output_format=JSON")
		return
	}
	var filters []filter
	for key, vals := range q {
		field, ok := strings.CutPrefix(key, "filter[")
		if !ok {
			continue
		}
		field = strings.TrimSuffix(field, "]")
		if !res.has(field) || res.lang[field] {
			a.fail(w, http.StatusBadRequest, 35, `This filter does not exist for this linked table: "`+field+`"`)
			return
		}
		if isDate(field) && q.Get("date") != "1" {
			a.fail(w, http.StatusBadRequest, 35, `The field "`+field+`" is a date: filtering on it needs the parameter date=1`)
			return
		}
		f, ok := parseFilter(field, vals[0])
		if !ok {
			a.fail(w, http.StatusBadRequest, 35, "Invalid filter value: "+vals[0])
			return
		}
		filters = append(filters, f)
	}
	s.mu.Lock()
	var rows []*row
	for _, r := range s.st.tables[res.name].rows {
		if !slices.ContainsFunc(filters, func(f filter) bool { return !f.match(r.value(f.field)) }) {
			rows = append(rows, r)
		}
	}
	s.mu.Unlock()
	if v := q.Get("sort"); v != "" {
		keys, ok := parseSort(res, v)
		if !ok {
			a.fail(w, http.StatusBadRequest, 37, "Unable to use this sort: "+v)
			return
		}
		sort.SliceStable(rows, func(i, j int) bool {
			for _, k := range keys {
				if c := compare(rows[i].value(k.field), rows[j].value(k.field)); c != 0 {
					return c < 0 != k.desc
				}
			}
			return false
		})
	}
	if v := q.Get("limit"); v != "" {
		off, n, ok := parseLimit(v)
		if !ok {
			a.fail(w, http.StatusBadRequest, 34, "Limit is invalid: "+v)
			return
		}
		rows = rows[min(off, len(rows)):min(off+n, len(rows))]
	}
	fields, full, ok := parseDisplay(res, q.Get("display"))
	if !ok {
		a.fail(w, http.StatusBadRequest, 33, "Unable to display this field: "+q.Get("display"))
		return
	}
	lang := q.Get("language")
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	if len(rows) == 0 {
		w.Write([]byte("[]")) // the quirk: an empty list is not an object
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"` + res.name + `":[`)
	s.mu.Lock()
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		s.writeItem(&b, res, r, fields, full, lang)
	}
	s.mu.Unlock()
	b.WriteString("]}")
	w.Write(b.Bytes())
}

// one answers GET /api/<resource>/<id>: every field.
func (s *Server) one(w http.ResponseWriter, a answer, res *resource, idPart string) {
	id, err := strconv.Atoi(idPart)
	s.mu.Lock()
	r := s.st.get(res.name, id)
	s.mu.Unlock()
	if err != nil || r == nil {
		a.fail(w, http.StatusNotFound, 87, `Id(s) not exists: `+idPart)
		return
	}
	if !a.json {
		a.fail(w, http.StatusBadRequest, 0, "the fake answers reads in JSON only: add output_format=JSON")
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"` + res.singular + `":`)
	s.mu.Lock()
	s.writeItem(&b, res, r, res.fields, true, "")
	s.mu.Unlock()
	b.WriteString("}")
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Write(b.Bytes())
}

type sortKey struct {
	field string
	desc  bool
}

func parseSort(res *resource, v string) ([]sortKey, bool) {
	if !strings.HasPrefix(v, "[") || !strings.HasSuffix(v, "]") {
		return nil, false
	}
	var keys []sortKey
	for _, part := range strings.Split(v[1:len(v)-1], ",") {
		i := strings.LastIndex(part, "_")
		if i <= 0 {
			return nil, false
		}
		field, dir := part[:i], part[i+1:]
		if !res.has(field) || dir != "ASC" && dir != "DESC" {
			return nil, false
		}
		keys = append(keys, sortKey{field, dir == "DESC"})
	}
	return keys, true
}

func parseLimit(v string) (off, n int, ok bool) {
	a, b, two := strings.Cut(v, ",")
	if !two {
		a, b = "0", v
	}
	off, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	return off, n, err1 == nil && err2 == nil && off >= 0 && n >= 0
}

// parseDisplay returns the fields to write: "full", "[a,b]", or only ids.
func parseDisplay(res *resource, v string) ([]string, bool, bool) {
	switch {
	case v == "":
		return nil, false, true
	case v == "full":
		return res.fields, true, true
	case strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
		var fields []string
		for _, f := range strings.Split(v[1:len(v)-1], ",") {
			f = strings.TrimSpace(f)
			if !res.has(f) {
				return nil, false, false
			}
			if f != "id" {
				fields = append(fields, f)
			}
		}
		return fields, false, true
	}
	return nil, false, false
}

// writeItem writes one item with PrestaShop's JSON quirks: the id as a
// number, every other value a string, falsy ones ("", "0") left out,
// multilingual fields as [{"id":"1","value":…}].
func (s *Server) writeItem(b *bytes.Buffer, res *resource, r *row, fields []string, full bool, lang string) {
	b.WriteString(`{"id":` + itoa(r.id))
	for _, f := range fields {
		if res.lang[f] {
			langs := []map[string]string{}
			for _, l := range []string{"1", "2"} {
				v := r.f[f]
				if l == "2" && r.f[f+"@2"] != "" {
					v = r.f[f+"@2"]
				}
				if lang == "" || lang == l {
					langs = append(langs, map[string]string{"id": l, "value": v})
				}
			}
			j, _ := json.Marshal(langs)
			b.WriteString(`,"` + f + `":` + string(j))
			continue
		}
		v := r.f[f]
		if v == "" || v == "0" {
			continue
		}
		j, _ := json.Marshal(v)
		b.WriteString(`,"` + f + `":` + string(j))
	}
	if full && len(res.assoc) > 0 {
		s.writeAssoc(b, res, r)
	}
	b.WriteString("}")
}

func (s *Server) writeAssoc(b *bytes.Buffer, res *resource, r *row) {
	var parts []string
	switch res.name {
	case "orders":
		var rows []map[string]string
		for _, or := range r.rows {
			m := map[string]string{}
			for _, f := range orderRowFields {
				if v := or[f]; v != "" && v != "0" {
					m[f] = v
				}
			}
			rows = append(rows, m)
		}
		if len(rows) > 0 {
			j, _ := json.Marshal(rows)
			parts = append(parts, `"order_rows":`+string(j))
		}
	case "customers":
		// every customer is in its default group (PrestaShop: 3 « Client »)
		if g := r.f["id_default_group"]; g != "" && g != "0" {
			parts = append(parts, `"groups":[{"id":"`+g+`"}]`)
		}
	case "customer_threads":
		var ids []map[string]string
		for _, id := range s.st.threadMessages[itoa(r.id)] {
			ids = append(ids, map[string]string{"id": itoa(id)})
		}
		if len(ids) > 0 {
			j, _ := json.Marshal(ids)
			parts = append(parts, `"customer_messages":`+string(j))
		}
	}
	if len(parts) > 0 {
		b.WriteString(`,"associations":{` + strings.Join(parts, ",") + `}`)
	}
}

func sortedResources() []string {
	var names []string
	for n := range resources {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
