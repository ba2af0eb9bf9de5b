package ui

// mailMessages are the labels of the email channels' pieces.
var mailMessages = map[string]text{
	"parked.raw":       {"Télécharger le message d'origine (.eml)", "Download the original message (.eml)"},
	"parked.raw_title": {"Le message tel que reçu, illisible pour guichet : à ouvrir dans un logiciel de messagerie.", "The message as received, unreadable for guichet: open it in a mail program."},
}

func init() {
	for k, v := range mailMessages {
		if _, dup := messages[k]; dup {
			panic("label defined twice: " + k)
		}
		messages[k] = v
	}
}
