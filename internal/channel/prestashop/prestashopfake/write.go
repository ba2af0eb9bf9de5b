package prestashopfake

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// writable are the resources the fake takes writes on, with their
// required fields (the reference's ✔️) and the fields that must be ids.
var writable = map[string]struct {
	required []string
	ids      []string
	class    string
}{
	"customer_messages": {required: []string{"message"}, ids: []string{"id_employee", "id_customer_thread"}, class: "CustomerMessage"},
	"customer_threads": {required: []string{"id_lang", "id_contact", "token"},
		ids: []string{"id_lang", "id_shop", "id_customer", "id_order", "id_product", "id_contact"}, class: "CustomerThread"},
}

// xmlBody is a write's body: <prestashop><singular><field>…</field>…
type xmlBody struct {
	XMLName xml.Name
	Items   []struct {
		XMLName xml.Name
		Fields  []struct {
			XMLName xml.Name
			Text    string `xml:",chardata"`
		} `xml:",any"`
	} `xml:",any"`
}

// create answers POST /api/<resource> with an XML body, as PrestaShop
// does: 201 and the created item, or 400 with its error.
func (s *Server) create(w http.ResponseWriter, a answer, res *resource, body []byte) {
	spec, ok := writable[res.name]
	if !ok {
		a.fail(w, http.StatusMethodNotAllowed, 7, "Method POST is not valid for "+res.name+" in the fake")
		return
	}
	var doc xmlBody
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&doc); err != nil || len(bytes.TrimSpace(body)) == 0 {
		msg := "empty body"
		if err != nil {
			msg = err.Error()
		}
		a.fail(w, http.StatusBadRequest, 127, "XML error : "+msg)
		return
	}
	if doc.XMLName.Local != "prestashop" || len(doc.Items) != 1 || doc.Items[0].XMLName.Local != res.singular {
		a.fail(w, http.StatusBadRequest, 127, "XML error : expected <prestashop><"+res.singular+">")
		return
	}
	fields := map[string]string{}
	for _, f := range doc.Items[0].Fields {
		name := f.XMLName.Local
		switch {
		case name == "id" || name == "associations":
			continue
		case !res.has(name):
			a.fail(w, http.StatusBadRequest, 93, `Parameter "`+name+`" does not exist for `+res.singular)
			return
		}
		fields[name] = f.Text
	}
	for _, id := range spec.ids {
		if v, ok := fields[id]; ok && v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < 0 || v != strconv.Itoa(n) {
				// "<id>\n  3\n</id>" breaks it too: the reference warns.
				a.fail(w, http.StatusBadRequest, 85, `Validation error: "Property `+spec.class+`->`+id+` is not valid"`)
				return
			}
		}
	}
	for _, req := range spec.required {
		if strings.TrimSpace(fields[req]) == "" {
			a.fail(w, http.StatusBadRequest, 85, `Validation error: "Property `+spec.class+`->`+req+` is empty"`)
			return
		}
	}
	s.mu.Lock()
	now := s.date(s.now())
	var r *row
	switch res.name {
	case "customer_messages":
		tid, _ := strconv.Atoi(fields["id_customer_thread"])
		t := s.st.get("customer_threads", tid)
		if t == nil {
			s.mu.Unlock()
			a.fail(w, http.StatusBadRequest, 85, `Validation error: "Property CustomerMessage->id_customer_thread is not valid"`)
			return
		}
		if strings.ContainsAny(fields["message"], "<>") && strings.Contains(strings.ToLower(fields["message"]), "<script") {
			s.mu.Unlock()
			a.fail(w, http.StatusBadRequest, 85, `Validation error: "Property CustomerMessage->message is not valid"`)
			return
		}
		f := map[string]string{"id_employee": "0", "id_customer_thread": itoa(tid), "ip_address": "", "message": fields["message"],
			"file_name": "", "user_agent": "", "private": "0", "date_add": now, "date_upd": now, "read": "0"}
		for k, v := range fields {
			if k != "date_add" && k != "date_upd" {
				f[k] = v
			}
		}
		r = s.st.insert(res.name, f)
		t.f["date_upd"] = now
	case "customer_threads":
		f := map[string]string{"id_shop": "1", "id_customer": "0", "id_order": "0", "id_product": "0", "status": "open", "date_add": now, "date_upd": now}
		for k, v := range fields {
			if k != "date_add" && k != "date_upd" {
				f[k] = v
			}
		}
		r = s.st.insert(res.name, f)
	}
	s.st.posted = append(s.st.posted, Post{Resource: res.name, Body: string(body), Fields: fields, ID: r.id})
	var b bytes.Buffer
	if a.json {
		b.WriteString(`{"` + res.singular + `":`)
		s.writeItem(&b, res, r, res.fields, true, "")
		b.WriteString("}")
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
	} else {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">` + "\n<" + res.singular + ">\n")
		b.WriteString("<id><![CDATA[" + itoa(r.id) + "]]></id>\n")
		for _, f := range res.fields {
			b.WriteString("<" + f + "><![CDATA[")
			b.WriteString(strings.ReplaceAll(r.f[f], "]]>", "]]]]><![CDATA[>"))
			b.WriteString("]]></" + f + ">\n")
		}
		b.WriteString("</" + res.singular + ">\n</prestashop>\n")
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	w.Write(b.Bytes())
}
