package demo

import (
	"bytes"
	"fmt"
	"strings"
)

// pdfPage writes a valid one-page PDF showing lines of text in Helvetica: a
// real file the browser opens, small enough to generate hundreds of.
func pdfPage(title string, lines []string) []byte {
	var content bytes.Buffer
	content.WriteString("BT\n/F2 16 Tf\n56 780 Td\n(" + pdfText(title) + ") Tj\n/F1 11 Tf\n16 TL\nT* T*\n")
	for _, l := range lines {
		content.WriteString("(" + pdfText(l) + ") Tj T*\n")
	}
	content.WriteString("ET\n")

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return out.Bytes()
}

// pdfText encodes s for a PDF string in WinAnsiEncoding, which covers French.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80:
			b.WriteByte(byte(r))
		case r == '€':
			b.WriteByte(0x80)
		case r == '’':
			b.WriteByte(0x92)
		case r == '–':
			b.WriteByte(0x96)
		case r == 'œ':
			b.WriteByte(0x9c)
		case r < 0x100:
			b.WriteByte(byte(r)) // Latin-1 and WinAnsi agree here
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
