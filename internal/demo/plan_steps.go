package demo

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/deadline"
	"guichet/internal/desk"
)

// The helpers below write a ticket's story step by step. Each moves the
// plan's clock; once the story reaches now, they do nothing and report false.

// msg is a message the channel delivers.
type msg struct {
	author desk.AuthorKind // default: the customer
	text   string
	html   string // the source's HTML, when it sent some
	files  []desk.IncomingFile
}

// reply is what an ADV sends.
type reply struct {
	template string // a default reply, filled for the ticket
	text     string // else the ADV's words, wrapped in greeting and signature
	raw      bool   // text is sent as written (to operators)
	status   desk.Status
	thread   desk.ThreadKind // default: the customer thread
	files    []file
}

func (p *ticketPlan) incoming(m msg, at time.Time) desk.Incoming {
	p.sources++
	in := desk.Incoming{
		ChannelID: p.ch.ID, OrderRef: p.order, SourceID: fmt.Sprintf("%s-%d", p.src, p.sources),
		ThreadKind: desk.ThreadCustomer, ThreadExternalID: p.conv, ThreadSubject: p.subject,
		AuthorKind: m.author, Customer: p.cust.customer(), Body: p.fill(m.text, ""), BodyHTML: p.fill(m.html, ""),
		Reason: p.reason, Subject: p.subject, At: at, Files: m.files,
	}
	switch m.author {
	case desk.AuthorOperator:
		in.ThreadKind, in.ThreadExternalID, in.AuthorName = desk.ThreadOperator, p.opConv, p.ch.operator
		in.ThreadSubject = "Commande " + p.order
	case desk.AuthorSystem:
		in.AuthorName = p.ch.Name
	default:
		in.AuthorKind, in.AuthorName = desk.AuthorCustomer, p.cust.name()
		if p.htmlMail && in.BodyHTML == "" {
			in.BodyHTML, in.Body = mailHTML(in.Body), "" // desk derives the text from the HTML
		}
	}
	return in
}

// opens is the customer's first message, at the plan's opening time; the
// channel sometimes adds its own notice.
func (p *ticketPlan) opens(m msg) {
	batch := []desk.Incoming{p.incoming(m, p.cursor)}
	if len(p.ch.notices) > 0 && p.g.chance(0.35) {
		notice := msg{author: desk.AuthorSystem, text: pick(p.g, p.ch.notices)}
		batch = append(batch, p.incoming(notice, p.cursor.Add(40*time.Second)))
	}
	p.add(step{in: batch})
	p.status = desk.StatusWaitingAdmin
}

// says is a customer's message after d.
func (p *ticketPlan) says(d time.Duration, m msg) bool {
	if !p.next(d, false) {
		return false
	}
	p.add(step{in: []desk.Incoming{p.incoming(m, p.cursor)}})
	if m.author != desk.AuthorSystem {
		p.status = desk.StatusWaitingAdmin
	}
	return true
}

// operatorSays is a message from the channel's customer service, in office hours.
func (p *ticketPlan) operatorSays(d time.Duration, text string) bool {
	if !p.next(d, true) {
		return false
	}
	p.add(step{in: []desk.Incoming{p.incoming(msg{author: desk.AuthorOperator, text: text}, p.cursor)}})
	p.status = desk.StatusWaitingAdmin
	return true
}

// replies is the owner's answer after d.
func (p *ticketPlan) replies(d time.Duration, r reply) bool {
	if !p.next(d, true) {
		return false
	}
	p.firstTouch()
	by := p.owner
	body := ""
	switch {
	case r.raw:
		body = p.fill(r.text, by.Name)
	case r.template == "":
		body = p.letter(r.text, by)
	}
	p.add(step{do: func(ctx context.Context, rp *replayer) error { return rp.reply(ctx, p, by, r, body) }})
	p.status = r.status
	return true
}

// notes is an internal note of the owner.
func (p *ticketPlan) notes(d time.Duration, text string) bool {
	if !p.next(d, true) {
		return false
	}
	p.firstTouch()
	by := p.owner
	body := p.fill(text, by.Name)
	p.add(step{do: func(ctx context.Context, rp *replayer) error { return rp.note(ctx, p, by, body) }})
	return true
}

// updates changes the ticket's fields.
func (p *ticketPlan) updates(d time.Duration, by desk.Actor, patch desk.TicketPatch) bool {
	if !p.next(d, true) {
		return false
	}
	p.patch(by, patch)
	return true
}

// patch records a change at the current moment.
func (p *ticketPlan) patch(by desk.Actor, patch desk.TicketPatch) {
	p.add(step{do: func(ctx context.Context, rp *replayer) error { return rp.update(ctx, p, by, patch) }})
	if patch.Status != nil {
		p.status = *patch.Status
	}
}

// closes: the owner closes the ticket without a word.
func (p *ticketPlan) closes(d time.Duration) bool {
	closed := desk.StatusClosed
	return p.updates(d, p.owner, desk.TicketPatch{Status: &closed})
}

// followsUp makes the ticket a follow-up: P2, due again in three business days.
func (p *ticketPlan) followsUp() {
	p2 := desk.P2
	due := p.g.cal.Due(p.cursor, deadline.Policy{Mode: deadline.WorkingDays, Hours: 72})
	p.patch(p.owner, desk.TicketPatch{Priority: &p2, Deadline: &due})
}

// delivered records when the carrier says it delivered the parcel.
func (p *ticketPlan) delivered(at time.Time) {
	date := at.In(p.g.cal.Location()).Format(time.DateOnly)
	p.patch(p.owner, desk.TicketPatch{DeliveryDate: &date})
}

// learnsEmail records the customer's own address (given in a message).
func (p *ticketPlan) learnsEmail() {
	email := p.cust.email
	p.patch(p.owner, desk.TicketPatch{RealEmail: &email})
}

// firstTouch is what an ADV does on opening a ticket for the first time:
// sometimes hand it to a colleague, often sum the problem up.
func (p *ticketPlan) firstTouch() {
	if p.touched {
		return
	}
	p.touched = true
	if p.g.chance(0.07) {
		from := p.owner
		for p.owner == from {
			p.owner = pick(p.g, p.g.team.advs)
		}
		to := p.owner.AgentID
		p.patch(p.g.team.admin, desk.TicketPatch{AssigneeID: &to})
		by := p.g.team.admin
		body := from.Name + " est en formation aujourd'hui : " + p.owner.Name + " reprend ce ticket."
		p.add(step{do: func(ctx context.Context, rp *replayer) error { return rp.note(ctx, p, by, body) }})
	}
	var patch desk.TicketPatch
	if p.problem != "" && p.g.chance(0.65) {
		patch.Problem = &p.problem
	}
	if (p.ch.is(desk.ChannelPrestaShop) || p.ch.is(desk.ChannelEmail)) && p.g.chance(0.5) {
		patch.RealEmail = &p.cust.email // the shop knows the customer's own address
	}
	if patch != (desk.TicketPatch{}) {
		p.patch(p.owner, patch)
	}
}

// wrapsUp: the customer says all is well, at least after (the time a parcel
// takes to arrive); the ADV closes, with a word or not.
func (p *ticketPlan) wrapsUp(after time.Duration, text string) {
	if !p.says(after+p.g.customerDelay(), msg{text: text}) {
		return
	}
	if p.g.chance(0.5) {
		p.closes(p.g.agentDelay())
		return
	}
	p.replies(p.g.agentDelay(), reply{status: desk.StatusClosed, text: p.pick(
		"Merci pour votre retour. Nous clôturons votre demande ; n'hésitez pas à nous recontacter si besoin.",
		"Parfait, merci de nous avoir tenus informés. Bonne utilisation de [produit] !",
		"Merci pour votre confirmation, nous vous souhaitons une excellente journée.",
	)})
}

// silence: the customer never answers; most of the time the ADV closes the
// ticket after a week.
func (p *ticketPlan) silence() {
	if p.g.chance(0.65) {
		p.replies(p.g.between(6*24*time.Hour, 9*24*time.Hour), reply{template: tplNoNews, status: desk.StatusClosed})
	}
}

// operatorNudge: on channels with a customer service of their own, the
// operator sometimes steps in; the ADV answers them on their thread.
func (p *ticketPlan) operatorNudge(chance float64) {
	if p.ch.operator == "" || !p.g.chance(chance) {
		return
	}
	if !p.operatorSays(p.g.between(2*time.Hour, 40*time.Hour), p.pick(
		"Bonjour,\n\nLe client nous a contactés au sujet de la commande [commande] : [motif]. Merci de lui apporter une réponse sous 48 heures, faute de quoi nous procéderons au remboursement à vos frais.\n\nCordialement,\n[canal] – Service client vendeurs",
		"Bonjour,\n\nNous constatons qu'une réclamation est en cours sur la commande [commande]. Pouvez-vous nous indiquer la solution proposée au client ?\n\nMerci,\nL'équipe relation vendeurs",
	)) {
		return
	}
	p.replies(p.g.agentDelay(), reply{raw: true, thread: desk.ThreadOperator, status: desk.StatusWaitingCustomer, text: p.pick(
		"Bonjour,\n\nNous avons répondu au client : une solution lui a été proposée ([transporteur], suivi [suivi]). Nous restons attentifs à son retour.\n\nCordialement,\n[adv] – Service client",
		"Bonjour,\n\nLe dossier est pris en charge : nous attendons la réponse du client à notre dernier message.\n\nBien à vous,\n[adv]",
	)})
}
