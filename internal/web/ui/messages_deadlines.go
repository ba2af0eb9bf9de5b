package ui

// deadlineMessages are the labels of the inbox's deadline views, the
// calendars' and the automatic messages' admin pages.
var deadlineMessages = map[string]text{
	"inbox.due_soon": {"Dans moins de 4 h", "Due within 4 h"},
	"inbox.tabs":     {"Vues", "Views"},
	"inbox.tab_todo": {"À traiter", "To do"},

	"admin.calendars":        {"Calendriers", "Calendars"},
	"calendar.new":           {"Nouveau calendrier", "New calendar"},
	"calendar.intro":         {"Chaque canal compte ses délais sur un calendrier : heures d'ouverture, jours fériés du pays, fermetures de l'entreprise.", "Each channel counts its deadlines on a calendar: opening hours, the country's public holidays, the company's closures."},
	"calendar.name":          {"Nom", "Name"},
	"calendar.zone":          {"Fuseau horaire", "Time zone"},
	"calendar.country":       {"Jours fériés", "Public holidays"},
	"calendar.closures":      {"Fermetures", "Closures"},
	"calendar.closures_hint": {"Une par ligne : début, fin (jours inclus), libellé. Ces jours ne comptent pas dans les délais.", "One a line: start, end (days included), label. These days do not count in deadlines."},
	"calendar.hours":         {"Heures d'ouverture", "Opening hours"},
	"calendar.hours_hint":    {"Plusieurs plages par jour possibles, séparées par des virgules ; vide : fermé. Un jour ouvert est un jour ouvré.", "Several ranges a day, separated by commas; empty: closed. A day that opens is a working day."},
	"calendar.problem":       {"Calendrier invalide : %s", "Invalid calendar: %s"},
	"weekday.0":              {"Dimanche", "Sunday"},
	"weekday.1":              {"Lundi", "Monday"},
	"weekday.2":              {"Mardi", "Tuesday"},
	"weekday.3":              {"Mercredi", "Wednesday"},
	"weekday.4":              {"Jeudi", "Thursday"},
	"weekday.5":              {"Vendredi", "Friday"},
	"weekday.6":              {"Samedi", "Saturday"},

	"admin.automatic":        {"Messages automatiques", "Automatic messages"},
	"auto.intro":             {"Rédigés et envoyés automatiquement par le CRM, signés « Système », par le canal du ticket. Un canal sans règle propre suit celle de « Tous les canaux » ; une langue sans texte, le français.", "Written and sent automatically by the CRM, signed « System », through the ticket's channel. A channel without its own rule follows « Every channel »; a language without a text, French."},
	"auto.every_channel":     {"Tous les canaux", "Every channel"},
	"auto.channel":           {"Canal", "Channel"},
	"auto.kind":              {"Message", "Message"},
	"auto.kind.ack":          {"Accusé de réception", "Acknowledgement"},
	"auto.kind.out_of_hours": {"Hors des heures d'ouverture", "Out of hours"},
	"auto.kind.reminder":     {"Relance du client", "Reminder to the customer"},
	"auto.kind.auto_close":   {"Fermeture automatique", "Automatic close"},
	"auto.language":          {"Langue", "Language"},
	"auto.enabled":           {"Activé", "On"},
	"auto.on":                {"activé", "on"},
	"auto.off":               {"désactivé", "off"},
	"auto.days":              {"Jours", "Days"},
	"auto.days_hint":         {"Relance et fermeture : jours d'attente du client (la relance avant la fermeture).", "Reminder and close: days waiting for the customer (the reminder before the close)."},
	"auto.body":              {"Texte", "Text"},
	"auto.variables":         {"Variables :", "Variables:"},
	"auto.edit":              {"Modifier un message", "Edit a message"},
	"auto.bad_channel":       {"canal inconnu", "unknown channel"},
	"auto.bad_days":          {"nombre de jours attendu", "a number of days is expected"},
	"auto.conditions":        {"Conditions", "Conditions"},
	"auto.cond_ack":          {"Accusé de réception : le premier message d'un client sur un ticket.", "Acknowledgement: a customer's first message on a ticket."},
	"auto.cond_ooh":          {"Hors des heures d'ouverture : un message reçu quand le calendrier du canal est fermé, une fois par période de fermeture ; il tient lieu d'accusé de réception.", "Out of hours: a message received while the channel's calendar is closed, once per closed period; it stands for the acknowledgement."},
	"auto.cond_wait":         {"Relance puis fermeture : un ticket en Attente Client depuis le nombre de jours dit ; la fermeture est inscrite à l'historique au nom de la règle.", "Reminder then close: a ticket waiting for the customer for the given days; the close is recorded in the history in the rule's name."},
	"auto.cond_never":        {"Jamais en réponse à une réponse automatique, un rebond, un opérateur ou un ADV, ni à un email sans commande d'un expéditeur sans autre ticket (spam) ; jamais deux fois.", "Never in answer to an auto-reply, a bounce, an operator or an ADV, nor to an order-less email from a sender with no other ticket (spam); never twice."},

	"channel.deadline_problem": {"Compté sur les valeurs par défaut : %s", "Counted on the defaults: %s"},
	"channel.calendar":         {"Calendrier", "Calendar"},
	"channel.calendar_default": {"Par défaut (Allemagne pour Kaufland, sinon France)", "Default (Germany for Kaufland, else France)"},
	"channel.language":         {"Langue des messages automatiques", "Language of the automatic messages"},
	"channel.language_default": {"Français (par défaut)", "French (default)"},

	"history.deadline_stopped": {"%s : plus de délai en cours (le ticket n'attend plus d'action d'un ADV)", "%s: no deadline running (the ticket no longer waits for an ADV)"},
	"history.deadline_rule":    {"Délai fixé au %s — %s", "Deadline set to %s — %s"},
}

func init() {
	for k, v := range deadlineMessages {
		if _, dup := messages[k]; dup {
			panic("label defined twice: " + k)
		}
		messages[k] = v
	}
}
