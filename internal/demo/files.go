package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"time"

	"guichet/internal/desk"
)

// file is an attachment an ADV sends.
type file struct {
	name, contentType string
	kind              desk.AttachmentKind
	data              []byte
}

// invoice is the order's invoice as a PDF.
func (p *ticketPlan) invoice() file {
	number := fmt.Sprintf("FA-%d-%06d", p.orderedAt.Year(), 1000+p.g.rng.IntN(90000))
	ht := p.item.price / 1.2
	lines := []string{
		"Maison Vasseur SAS – 14 rue des Tanneurs, 59000 Lille",
		"SIRET 812 345 678 00021 – TVA FR52 812345678",
		"",
		"Date : " + p.orderedAt.In(p.g.cal.Location()).Format("02/01/2006"),
		"Client : " + p.cust.name(),
		"Commande : " + p.order + " (" + p.ch.Name + ")",
		"",
		"1 x " + p.item.short,
		fmt.Sprintf("Total HT : %.2f €", ht),
		fmt.Sprintf("TVA 20 %% : %.2f €", p.item.price-ht),
		"Total TTC : " + p.item.priceText(),
		"",
		"Réglée le " + p.orderedAt.In(p.g.cal.Location()).Format("02/01/2006") + ". Merci de votre confiance.",
	}
	return file{name: "Facture-" + number + ".pdf", contentType: "application/pdf", kind: "invoice",
		data: pdfPage("FACTURE N° "+number, lines)}
}

// returnLabel is a prepaid return label as a PDF.
func (p *ticketPlan) returnLabel() file {
	number := "8R" + p.g.digits(11)
	lines := []string{
		"Expéditeur : " + p.cust.name(),
		"Destinataire : Maison Vasseur – Service retours",
		"ZI des Prés, 3 allée des Métiers, 59810 Lesquin",
		"",
		"Commande : " + p.order,
		"N° de suivi : " + number,
		"",
		"Imprimez cette étiquette et collez-la sur le colis.",
		"Déposez-le dans un bureau de poste ou un point relais sous 14 jours.",
	}
	return file{name: "Etiquette-retour-" + number + ".pdf", contentType: "application/pdf", kind: "return_label",
		data: pdfPage("ÉTIQUETTE DE RETOUR PRÉPAYÉE – COLISSIMO", lines)}
}

// packedPhoto is the ADV's photo of a replacement ready to leave the warehouse.
func (p *ticketPlan) packedPhoto() file {
	var b bytes.Buffer
	png.Encode(&b, p.parcelImage(false))
	return file{name: "colis-prepare.png", contentType: "image/png", kind: "photo", data: b.Bytes()}
}

// customerPhotos are the pictures a customer takes of a damaged delivery.
func (p *ticketPlan) customerPhotos(n int) []desk.IncomingFile {
	var files []desk.IncomingFile
	for range n {
		var b bytes.Buffer
		jpeg.Encode(&b, p.parcelImage(true), &jpeg.Options{Quality: 70})
		name := fmt.Sprintf("IMG_%04d.jpg", 1000+p.g.rng.IntN(9000)) // as a phone names them
		files = append(files, desk.IncomingFile{Name: name, ContentType: "image/jpeg", Data: b.Bytes()})
	}
	return files
}

// parcelImage draws a cardboard box on a floor; a damaged one has a dent and a tear.
func (p *ticketPlan) parcelImage(damaged bool) image.Image {
	const w, h = 160, 120
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	shade := uint8(p.g.rng.IntN(30))
	floor := color.NRGBA{200 - shade, 196 - shade, 188 - shade, 255}
	box := color.NRGBA{181 - shade/2, 136 - shade/2, 86, 255}
	tape := color.NRGBA{214, 190, 140, 255}
	dark := color.NRGBA{70, 48, 28, 255}
	x0, y0 := 30+p.g.rng.IntN(10), 25+p.g.rng.IntN(10)
	x1, y1 := x0+95, y0+70
	for y := range h {
		for x := range w {
			c := floor
			if x >= x0 && x < x1 && y >= y0 && y < y1 {
				c = box
				if y >= y0+30 && y < y0+38 {
					c = tape
				}
			}
			img.Set(x, y, c)
		}
	}
	if damaged { // a tear across the box and a dented corner
		for i := range 60 {
			x, y := x0+15+i, y0+10+i/2+p.g.rng.IntN(3)
			img.Set(x, y, dark)
			img.Set(x, y+1, dark)
		}
		for y := y0; y < y0+18; y++ {
			for x := x1 - 18 + (y - y0); x < x1; x++ {
				img.Set(x, y, floor)
			}
		}
	}
	return img
}

// dateText formats a day for a message: 03/11/2026.
func (p *ticketPlan) dateText(t time.Time) string {
	return t.In(p.g.cal.Location()).Format("02/01/2006")
}
