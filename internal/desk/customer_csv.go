package desk

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// The customers' CSV in PrestaShop's format (seed « Gérer les clients »):
// semicolons, a trailing semicolon, this header, « - » for an unknown age,
// dates as 2013-07-04 15:20:02 at the shop's time.
const CustomerCSVHeader = "ID;Title;Last name;First Name;Email address;Age;Enabled;News.;Opt.;Registration;Last visit;"

const csvDate = "2006-01-02 15:04:05"

var customerCSVColumns = strings.Split(strings.TrimSuffix(CustomerCSVHeader, ";"), ";")

// shopZone is the shop's time, in which PrestaShop writes its dates.
var shopZone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}()

// RejectedLine is a line of a CSV file that was not imported, and why.
type RejectedLine struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// CSVCustomer is one good line of a customers' CSV.
type CSVCustomer struct {
	Line     int
	Customer Customer // ExternalID is the shop's id; ChannelID unset
}

// DecodeCSVText turns a file's bytes into text: UTF-8 with or without its
// BOM, otherwise Windows-1252 (what Excel writes on a French Windows).
func DecodeCSVText(data []byte) (text string, encoding string) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
		if utf8.Valid(data) {
			return string(data), "UTF-8 (BOM)"
		}
	}
	if utf8.Valid(data) {
		return string(data), "UTF-8"
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // Windows-1252 decodes every byte; kept for safety
		return strings.ToValidUTF8(string(data), "\uFFFD"), "UTF-8 (corrigé)"
	}
	return string(out), "Windows-1252"
}

// ParseCustomerCSV reads a customers' CSV: its good lines, and each bad
// line with its number and reason. A bad line never stops the reading; only
// a file that is not this CSV at all (another header) is an error.
func ParseCustomerCSV(data []byte) (good []CSVCustomer, rejected []RejectedLine, encoding string, err error) {
	rejected, encoding, err = scanCustomerCSV(data, 0, func(g []CSVCustomer) error {
		good = g
		return nil
	})
	if err != nil {
		return nil, nil, encoding, err
	}
	return good, rejected, encoding, nil
}

// scanCustomerCSV reads as ParseCustomerCSV does, handing the good lines
// to each as it goes, n at a time (0: all of them at the end), so that
// they can be written while the rest is read. An error from each stops it.
func scanCustomerCSV(data []byte, n int, each func(good []CSVCustomer) error) (rejected []RejectedLine, encoding string, err error) {
	text, encoding := DecodeCSVText(data)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, encoding, Invalid("file", "fichier vide : l'en-tête attendu est %s", CustomerCSVHeader)
	}
	if err != nil || !sameHeader(header) {
		return nil, encoding, Invalid("file", "ce n'est pas un export de clients PrestaShop : la première ligne doit être %s", CustomerCSVHeader)
	}
	lines := strings.Count(text, "\n") + 1
	if n <= 0 {
		n = lines
	}
	good := make([]CSVCustomer, 0, min(n, lines))
	seen := make(map[string]int, lines)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rejected = append(rejected, RejectedLine{Line: pe.StartLine, Reason: "guillemets mal fermés"})
				continue
			}
			return nil, encoding, Invalid("file", "fichier illisible : %v", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		c, reason := parseCustomerLine(rec)
		if reason == "" {
			if first, dup := seen[c.ExternalID]; dup {
				reason = fmt.Sprintf("ID %s déjà vu ligne %d", c.ExternalID, first)
			} else {
				seen[c.ExternalID] = line
			}
		}
		if reason != "" {
			rejected = append(rejected, RejectedLine{Line: line, Reason: reason})
			continue
		}
		good = append(good, CSVCustomer{Line: line, Customer: c})
		if len(good) == n {
			if err := each(good); err != nil {
				return rejected, encoding, err
			}
			good = make([]CSVCustomer, 0, n)
		}
	}
	if len(good) > 0 || n == lines {
		if err := each(good); err != nil {
			return rejected, encoding, err
		}
	}
	return rejected, encoding, nil
}

func sameHeader(rec []string) bool {
	if n := len(rec); n == len(customerCSVColumns)+1 && strings.TrimSpace(rec[n-1]) == "" {
		rec = rec[:n-1]
	}
	if len(rec) != len(customerCSVColumns) {
		return false
	}
	for i, h := range rec {
		if !strings.EqualFold(strings.TrimSpace(h), customerCSVColumns[i]) {
			return false
		}
	}
	return true
}

// parseCustomerLine checks every field of a line; the reason names the
// first wrong one (column as in the header), empty when the line is good.
func parseCustomerLine(rec []string) (Customer, string) {
	n := len(customerCSVColumns)
	if len(rec) == n+1 && rec[n] == "" {
		rec = rec[:n]
	}
	if len(rec) != n {
		return Customer{}, fmt.Sprintf("%d colonnes au lieu de %d", len(rec), n)
	}
	for i, v := range rec {
		if err := checkText(customerCSVColumns[i], v); err != nil {
			return Customer{}, customerCSVColumns[i] + " : " + ErrorMessage(err)
		}
	}
	bad := func(col int, why string) (Customer, string) {
		return Customer{}, fmt.Sprintf("%s : %s (« %s »)", customerCSVColumns[col], why, clip(rec[col], 40))
	}
	var c Customer
	id, err := strconv.ParseInt(strings.TrimSpace(rec[0]), 10, 64)
	if err != nil || id <= 0 {
		return bad(0, "un nombre entier positif est attendu")
	}
	c.ExternalID = strconv.FormatInt(id, 10)
	if c.Title = strings.TrimSpace(rec[1]); c.Title != "" {
		if n, err := strconv.Atoi(c.Title); err != nil || n < 0 {
			return bad(1, "l'identifiant du titre de civilité est un nombre")
		}
	}
	for _, f := range []struct {
		col int
		v   *string
	}{{2, &c.LastName}, {3, &c.FirstName}} {
		v := strings.TrimSpace(rec[f.col])
		switch {
		case v == "":
			return bad(f.col, "champ obligatoire")
		case utf8.RuneCountInString(v) > 255:
			return bad(f.col, "255 caractères au plus")
		case strings.ContainsAny(v, "\r\n"):
			return bad(f.col, "une seule ligne attendue")
		}
		*f.v = v
	}
	email, err := checkEmail("email", rec[4])
	if err != nil || email == "" {
		return bad(4, "adresse email invalide")
	}
	c.Email, c.RealEmail = email, email
	switch age := strings.TrimSpace(rec[5]); age {
	case "-", "":
	default:
		n, err := strconv.Atoi(age)
		if err != nil || n < 0 || n > 150 {
			return bad(5, "un âge entre 0 et 150, ou « - »")
		}
		c.Age = n
	}
	for _, f := range []struct {
		col int
		v   *bool
	}{{6, &c.Enabled}, {7, &c.Newsletter}, {8, &c.Optin}} {
		switch strings.TrimSpace(rec[f.col]) {
		case "1":
			*f.v = true
		case "0":
		default:
			return bad(f.col, "0 ou 1 attendu")
		}
	}
	for _, f := range []struct {
		col int
		v   *time.Time
	}{{9, &c.RegisteredAt}, {10, &c.LastVisitAt}} {
		v := strings.TrimSpace(rec[f.col])
		if v == "" || strings.HasPrefix(v, "0000-00-00") {
			continue
		}
		t, err := time.ParseInLocation(csvDate, v, shopZone)
		if err != nil {
			return bad(f.col, "date attendue comme 2013-07-04 15:20:02")
		}
		*f.v = t.UTC()
	}
	c.Name = c.FirstName + " " + c.LastName
	return c, ""
}

// WriteCustomerCSV writes customers in PrestaShop's format, ID being the
// shop's customer id (ExternalID), UTF-8 without BOM.
func WriteCustomerCSV(w io.Writer, cs []Customer) error {
	if _, err := io.WriteString(w, CustomerCSVHeader+"\n"); err != nil {
		return err
	}
	return WriteCustomerCSVRows(w, cs)
}

// WriteCustomerCSVRows writes the lines of customers, without the header.
func WriteCustomerCSVRows(w io.Writer, cs []Customer) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	rec := make([]string, len(customerCSVColumns)+1) // the last one empty: the trailing semicolon
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(shopZone).Format(csvDate)
	}
	for _, c := range cs {
		age := "-"
		if c.Age > 0 {
			age = strconv.Itoa(c.Age)
		}
		email := c.Email
		if c.RealEmail != "" {
			email = c.RealEmail
		}
		copy(rec, []string{c.ExternalID, c.Title, c.LastName, c.FirstName, email, age,
			flag(c.Enabled), flag(c.Newsletter), flag(c.Optin), date(c.RegisteredAt), date(c.LastVisitAt), ""})
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
