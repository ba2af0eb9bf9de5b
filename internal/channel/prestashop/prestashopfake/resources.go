package prestashopfake

// resource is one of the webservice's resources as the fake serves it:
// its fields in the reference's order (specs/prestashop-webservice/*.md),
// which of them are multilingual, which are dates, and its associations.
type resource struct {
	name, singular string
	fields         []string
	lang           map[string]bool
	assoc          []string // associations, in display=full
}

// Resources are the fake's, field for field from the reference.
var resources = map[string]*resource{
	"customer_threads": {name: "customer_threads", singular: "customer_thread",
		fields: []string{"id_lang", "id_shop", "id_customer", "id_order", "id_product", "id_contact", "email", "token", "status", "date_add", "date_upd"},
		assoc:  []string{"customer_messages"}},
	"customer_messages": {name: "customer_messages", singular: "customer_message",
		fields: []string{"id_employee", "id_customer_thread", "ip_address", "message", "file_name", "user_agent", "private", "date_add", "date_upd", "read"}},
	"contacts": {name: "contacts", singular: "contact",
		fields: []string{"email", "customer_service", "name", "description"}, lang: set("name", "description")},
	"orders": {name: "orders", singular: "order",
		fields: []string{"id_address_delivery", "id_address_invoice", "id_cart", "id_currency", "id_lang", "id_customer", "id_carrier",
			"current_state", "module", "invoice_number", "invoice_date", "delivery_number", "delivery_date", "valid", "date_add", "date_upd",
			"shipping_number", "note", "id_shop_group", "id_shop", "secure_key", "payment", "recyclable", "gift", "gift_message", "mobile_theme",
			"total_discounts", "total_discounts_tax_incl", "total_discounts_tax_excl", "total_paid", "total_paid_tax_incl", "total_paid_tax_excl",
			"total_paid_real", "total_products", "total_products_wt", "total_shipping", "total_shipping_tax_incl", "total_shipping_tax_excl",
			"carrier_tax_rate", "total_wrapping", "total_wrapping_tax_incl", "total_wrapping_tax_excl", "round_mode", "round_type",
			"conversion_rate", "reference"},
		assoc: []string{"order_rows"}},
	"order_histories": {name: "order_histories", singular: "order_history",
		fields: []string{"id_employee", "id_order_state", "id_order", "date_add"}},
	"order_states": {name: "order_states", singular: "order_state",
		fields: []string{"unremovable", "delivery", "hidden", "send_email", "module_name", "invoice", "color", "logable", "shipped",
			"paid", "pdf_delivery", "pdf_invoice", "deleted", "name", "template"}, lang: set("name", "template")},
	"order_carriers": {name: "order_carriers", singular: "order_carrier",
		fields: []string{"id_order", "id_carrier", "id_order_invoice", "weight", "shipping_cost_tax_excl", "shipping_cost_tax_incl", "tracking_number", "date_add"}},
	"carriers": {name: "carriers", singular: "carrier",
		fields: []string{"deleted", "is_module", "id_tax_rules_group", "id_reference", "name", "active", "is_free", "url", "shipping_handling",
			"shipping_external", "range_behavior", "shipping_method", "max_width", "max_height", "max_depth", "max_weight", "grade",
			"external_module_name", "need_range", "position", "delay"}, lang: set("delay")},
	"customers": {name: "customers", singular: "customer",
		fields: []string{"id_default_group", "id_lang", "newsletter_date_add", "ip_registration_newsletter", "last_passwd_gen", "secure_key",
			"deleted", "passwd", "lastname", "firstname", "email", "id_gender", "birthday", "newsletter", "optin", "website", "company",
			"siret", "ape", "outstanding_allow_amount", "show_public_prices", "id_risk", "max_payment_days", "active", "note", "is_guest",
			"id_shop", "id_shop_group", "date_add", "date_upd", "reset_password_token", "reset_password_validity"},
		assoc: []string{"groups"}},
	"addresses": {name: "addresses", singular: "address",
		fields: []string{"id_customer", "id_manufacturer", "id_supplier", "id_warehouse", "id_country", "id_state", "alias", "company",
			"lastname", "firstname", "vat_number", "address1", "address2", "postcode", "city", "other", "phone", "phone_mobile", "dni",
			"deleted", "date_add", "date_upd"}},
	"employees": {name: "employees", singular: "employee",
		fields: []string{"id_lang", "last_passwd_gen", "stats_date_from", "stats_date_to", "stats_compare_from", "stats_compare_to",
			"passwd", "lastname", "firstname", "email", "active", "id_profile", "bo_color", "default_tab", "bo_theme", "bo_css", "bo_width",
			"bo_menu", "stats_compare_option", "preselect_date_range", "id_last_order", "id_last_customer_message", "id_last_customer",
			"reset_password_token", "reset_password_validity", "has_enabled_gravatar"}},
}

// orderRowFields are an order's order_rows association's.
var orderRowFields = []string{"id", "product_id", "product_attribute_id", "product_quantity", "product_name", "product_reference",
	"product_ean13", "product_isbn", "product_upc", "product_price", "id_customization", "unit_price_tax_incl", "unit_price_tax_excl"}

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// isDate says whether a field holds a date (filtering on it needs date=1).
func isDate(field string) bool {
	switch field {
	case "date_add", "date_upd", "invoice_date", "delivery_date", "newsletter_date_add", "birthday", "last_passwd_gen",
		"stats_date_from", "stats_date_to", "stats_compare_from", "stats_compare_to", "reset_password_validity":
		return true
	}
	return false
}

func (r *resource) has(field string) bool {
	if field == "id" {
		return true
	}
	for _, f := range r.fields {
		if f == field {
			return true
		}
	}
	return false
}
