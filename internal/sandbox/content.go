package sandbox

// The people and the words of the demo world: agents, customers, companies,
// and the support scenarios that tickets are written from. Placeholders in
// braces ({first}, {invoice}, ...) are filled per ticket so no two read alike.

type person struct {
	first, last string
}

type company struct {
	name, domain string
	people       []person
}

var agentPeople = []struct{ username, name string }{
	{"alex.morgan", "Alex Morgan"},
	{"priya.natarajan", "Priya Natarajan"},
	{"tom.becker", "Tom Becker"},
	{"sofia.lindqvist", "Sofia Lindqvist"},
	{"marcus.okafor", "Marcus Okafor"},
}

var companies = []company{
	{"Northwind Traders", "northwind-traders.com", []person{{"Emily", "Carter"}, {"Raj", "Patel"}, {"Hannah", "Schmidt"}}},
	{"Bäckerei Müller GmbH", "baeckerei-mueller.de", []person{{"Zoë", "Müller"}, {"Jürgen", "Weiß"}}},
	{"García & Asociados", "garcia-asociados.es", []person{{"José", "García"}, {"Lucía", "Fernández"}, {"Álvaro", "Ruiz"}}},
	{"Kowalski Logistics", "kowalski-logistics.pl", []person{{"Łukasz", "Kowalski"}, {"Agnieszka", "Nowak"}}},
	{"Bluefin Studio", "bluefin.studio", []person{{"Maya", "Thompson"}, {"Oliver", "Reed"}}},
	{"Hartley Dental Group", "hartleydental.co.uk", []person{{"Charlotte", "Hughes"}, {"James", "Whitfield"}, {"Amelia", "Price"}}},
	{"Café Lumière", "cafe-lumiere.fr", []person{{"Amélie", "Durand"}, {"François", "Lefèvre"}}},
	{"Osaka Precision Parts", "osaka-precision.jp", []person{{"Haruto", "Tanaka"}, {"Yui", "Sato"}}},
	{"Greenleaf Landscaping", "greenleaf-landscaping.com", []person{{"Daniel", "Brooks"}, {"Grace", "Kim"}}},
	{"Nordlys Consulting", "nordlys.no", []person{{"Ingrid", "Håland"}, {"Bjørn", "Eriksen"}, {"Siri", "Dahl"}}},
	{"Papadopoulos Imports", "papadopoulos-imports.gr", []person{{"Eleni", "Papadopoulou"}, {"Nikos", "Georgiou"}}},
	{"Summit Physio", "summitphysio.com.au", []person{{"Liam", "O'Connor"}, {"Chloe", "Nguyen"}}},
	{"Riverbend Books", "riverbendbooks.com", []person{{"Sarah", "Mitchell"}, {"Ethan", "Walker"}}},
	{"Istanbul Textiles", "istanbultextiles.com.tr", []person{{"Ayşe", "Yılmaz"}, {"Mehmet", "Demir"}}},
	{"Čapek Design s.r.o.", "capek-design.cz", []person{{"Tereza", "Čapková"}, {"Ondřej", "Dvořák"}, {"Petra", "Svobodová"}}},
}

var labelDefs = []struct{ name, color, description string }{
	{"billing", "#6699cc", "Invoices, payments, plans and charges"},
	{"bug", "#dc143c", "Something in Acme Invoicing does not work as documented"},
	{"feature-request", "#5cb85c", "A customer asks for something Acme does not do yet"},
	{"login", "#8e44ad", "Sign-in, password reset, 2FA and SSO"},
	{"urgent", "#ff0000", "Customer is blocked; answer within 4 business hours"},
	{"refund", "#f0ad4e", "Refund or credit note requested"},
	{"how-to", "#428bca", "Question about using the product"},
	{"integration", "#34495e", "API, webhooks, Stripe, Xero, QuickBooks, Zapier"},
}

// scenario is one kind of support conversation.
type scenario struct {
	labels    []string
	subjects  []string
	bodies    [][]string // alternatives per paragraph
	replies   []string   // agent public replies
	internals []string   // agent internal notes
	followups []string   // customer follow-ups
	closing   []string   // agent reply that resolves it
}

var scenarios = []scenario{
	{
		labels:   []string{"login"},
		subjects: []string{"Password reset email never arrives", "Can't log in - reset link not received", "No password reset mail for {email}"},
		bodies: [][]string{
			{"Hi Acme team,", "Hello,", "Hi there,"},
			{"I have been trying to reset my password since {weekday} morning but the reset e-mail never shows up. I've checked spam and the quarantine in {mailhost}, nothing there.", "Since {weekday} I cannot log in to our Acme account. I clicked \"Forgot password\" {count} times and no e-mail arrived, not even in the junk folder."},
			{"Our month-end invoicing run is due on {date}, so this is getting urgent for us. Could you trigger a reset manually or tell me what's going on?", "Could you check whether our domain {domain} is somehow blocked on your side? A colleague on the same domain has the same issue."},
		},
		replies: []string{
			"Hi {first},\n\nThanks for reaching out, and sorry for the trouble. I can see that our mail provider recorded {count} reset e-mails to {email}, all of them deferred by the receiving server at {mailhost}.\n\nCould you ask your IT team to allow mail from `notifications@acme.com`? In the meantime I've sent a fresh reset link that is valid for 24 hours.\n\nBest regards,\n{agent}\nAcme Support",
			"Hi {first},\n\nI've looked into this: the reset e-mails were suppressed because an earlier message to {email} hard-bounced on {date}. I've removed the address from our suppression list, so the next reset should arrive within a minute or two.\n\nLet me know if it still doesn't show up.\n\n{agent}",
		},
		internals: []string{"Checked Postmark logs: {count} messages to {email} with status \"SoftBounce - mailbox full\" / deferred by {mailhost}. Removed from suppression list.", "Postmark activity shows the reset mails were delivered (250 OK). Likely their gateway quarantine. Asked customer to check with IT."},
		followups: []string{"Thanks {agentFirst}, still nothing here unfortunately. Our IT says nothing from acme.com was received today. Is there another way to get in?", "Hi, I tried again just now and still no mail. Could it be that the link goes to my old address?", "That worked, I'm in again. One more question though: can I turn on 2FA for everyone on our team?"},
		closing:   []string{"Hi {first},\n\nGlad to hear you're back in! Two-factor authentication can be required for the whole team under Settings → Security → \"Require 2FA\". I'll close this ticket now; just reply to this e-mail if anything else comes up.\n\nBest,\n{agent}"},
	},
	{
		labels:   []string{"billing", "bug"},
		subjects: []string{"Invoice {invoice} shows wrong VAT rate", "VAT on invoice PDF is {vat}% instead of {vatOK}%", "Wrong tax on our invoice {invoice}"},
		bodies: [][]string{
			{"Hello,", "Dear Acme support,", "Hi,"},
			{"the PDF of invoice {invoice} that we sent to our client on {date} shows VAT at {vat}% although the customer record says {vatOK}%. The total in the web view is correct, only the PDF is wrong.", "we noticed that the invoice PDF for {invoice} calculates VAT at {vat}%. Our company is registered in {country} and all our invoices should use {vatOK}%."},
			{"Our accountant needs a corrected document before the VAT return is filed. Please advise how we fix this without creating a credit note.", "I attached a screenshot of the settings page. Is this a known issue? We have {count} more invoices to send this week."},
		},
		replies: []string{
			"Hi {first},\n\nThank you for the detailed report and the screenshot. I was able to reproduce this: when a customer record has a VAT override, the PDF renderer still uses the account default rate. Our engineers are on it.\n\nAs a workaround, you can set the rate directly on the invoice line (click the line → Tax → {vatOK}%) and re-generate the PDF.\n\nKind regards,\n{agent}",
			"Hi {first},\n\nI've regenerated the PDF for {invoice} with the correct {vatOK}% rate; you can download it from the invoice page now. The original number is kept, so no credit note is needed.\n\nBest,\n{agent}",
		},
		internals: []string{"Reproduced on staging: customer-level tax override ignored by PDF renderer (web view OK). Linked to engineering bug, looks like the regression from the renderer upgrade.", "Customer is on the {plan} plan, {count} invoices affected since {date}. Regenerated manually with the admin tool."},
		followups: []string{"Thanks for the quick answer. The workaround works for new invoices, but what about the {count} we already sent out?", "Hi {agentFirst}, the regenerated PDF still says {vat}% at the bottom in the summary box. Could you have another look?", "Great, that's fixed. Thank you!"},
		closing:   []string{"Hi {first},\n\nThe fix for the PDF renderer was deployed this morning, and I've regenerated all {count} affected invoices from {date} onwards. Your client-facing links now serve the corrected versions.\n\nSorry again for the hassle.\n\n{agent}\nAcme Support"},
	},
	{
		labels:   []string{"billing"},
		subjects: []string{"Card declined when upgrading to {plan}", "Payment failed - card declined", "Can't update our credit card"},
		bodies: [][]string{
			{"Hi,", "Hello Acme,"},
			{"I'm trying to upgrade our account to the {plan} plan but the card keeps getting declined with \"Your card was declined (do_not_honor)\". The bank says there is no block on their side.", "our subscription renewal failed on {date} and the new card I entered is refused. It's a company {cardBrand} ending in {last4}."},
			{"We really don't want the account to be suspended, we send about {count} invoices a month through Acme.", "Is there an alternative, e.g. paying by bank transfer for the year?"},
		},
		replies: []string{
			"Hi {first},\n\nSorry about this! The decline came back from your bank with the code `do_not_honor`, which unfortunately means they refused it without telling us why. Very often this is a 3-D Secure check that wasn't completed.\n\nCould you try again from Settings → Billing and keep the bank's app open to approve the payment? I've extended your grace period by 7 days, so nothing will be suspended.\n\nBest regards,\n{agent}",
			"Hi {first},\n\nYes, annual billing by bank transfer is possible from the {plan} plan. I've sent you a pro-forma invoice; once the transfer arrives we switch the account over.\n\n{agent}",
		},
		internals: []string{"Checked Stripe logs: charge ch_{hex8} declined, decline_code=do_not_honor, 3DS not attempted. Extended grace period to +7d.", "Stripe shows {count} failed attempts on card ending {last4}. Radar risk score normal. Not a fraud block on our side."},
		followups: []string{"Approving in the app worked, thank you! The upgrade went through.", "I tried again with the banking app open and it still says declined. Can you see anything else on your side?", "Thanks. Could you also send the pro-forma to our accounts payable, ap@{domain}?"},
		closing:   []string{"Hi {first},\n\nI can confirm the payment went through and your account is now on {plan}. The receipt is available under Settings → Billing → History.\n\nThanks for your patience!\n{agent}"},
	},
	{
		labels:   []string{"login", "integration"},
		subjects: []string{"SAML SSO setup with {idp} fails", "SSO: \"Invalid SAML response\" error", "Help setting up single sign-on ({idp})"},
		bodies: [][]string{
			{"Hi Acme support,", "Hello,"},
			{"we are setting up SAML single sign-on with {idp}. After authenticating at the IdP we are redirected back to Acme and get \"Invalid SAML response: audience mismatch\".", "I followed the SSO guide for {idp} step by step, but when our users sign in they land on an error page saying the assertion could not be verified."},
			{"Entity ID we configured: https://app.acme.com/saml/{slug}. Could you check what we are doing wrong? We'd like to roll this out to all {count} users on {date}.", "Attached is the SAML trace from the browser. We are on the {plan} plan."},
		},
		replies: []string{
			"Hi {first},\n\nThanks for the SAML trace, that helps a lot. The assertion's audience is `https://app.acme.com/saml/metadata`, but your account expects `https://app.acme.com/saml/{slug}`. In {idp}, please set the \"Audience URI (SP Entity ID)\" to the second value and try again.\n\nBest,\n{agent}",
			"Hi {first},\n\nThe signature now validates, but the NameID format is `unspecified`. Please switch it to `emailAddress` in {idp} so we can match users to existing accounts.\n\n{agent}",
		},
		internals: []string{"SAML trace: audience = https://app.acme.com/saml/metadata, expected per-tenant entity id. Common misconfig, see runbook SSO-04.", "Cert in their IdP metadata expires in 12 days, mention it once the setup works."},
		followups: []string{"Changed the audience, now we get a different error: \"NameID not found\". Screenshot attached.", "That did it, sign-in works for our test users. Can we enforce SSO for everyone?", "Our IT admin asks whether you support SCIM provisioning too."},
		closing:   []string{"Hi {first},\n\nGreat news! To enforce SSO, go to Settings → Security → Single sign-on and switch on \"Require SSO\". Owners keep a password login as a break-glass option. SCIM is on our roadmap; I've added your vote.\n\nI'm closing this ticket, but reply any time.\n\n{agent}"},
	},
	{
		labels:   []string{"bug"},
		subjects: []string{"CSV export is broken (special characters)", "Export to CSV shows garbled names", "Client export CSV missing rows"},
		bodies: [][]string{
			{"Hello,", "Hi team,"},
			{"when I export our client list to CSV, names with accents come out garbled in Excel, e.g. \"JosÃ©\" instead of \"José\". This started after your update on {date}.", "the CSV export of invoices for {month} only contains {count} rows, but the list in the app shows many more. Filters are off."},
			{"We import this file into our accounting system every month, so we need it to be correct.", "Could you please have a look? Our bookkeeper is waiting for the file."},
		},
		replies: []string{
			"Hi {first},\n\nThanks for letting us know. The file is UTF-8 encoded, but Excel on Windows assumes a legacy encoding unless the file starts with a byte order mark. Until we add the BOM, you can import it via Data → From Text/CSV and pick \"65001: Unicode (UTF-8)\".\n\nBest regards,\n{agent}",
			"Hi {first},\n\nI could reproduce the missing rows: the export stops at the first invoice with a line item longer than 1,000 characters. Engineering is fixing it; I'll get back to you as soon as it's deployed.\n\n{agent}",
		},
		internals: []string{"Export job log: truncated at row {count}, exception CSV::MalformedCSVError on invoice {invoice}. Filed bug with engineering.", "Confirmed the UTF-8 BOM regression, came with the exporter refactor on {date}."},
		followups: []string{"The import via Data → From Text works, thank you. Will the normal download be fixed too?", "Any news on this? Our month-end is close.", "Just checked, the export is complete now. Thanks!"},
		closing:   []string{"Hi {first},\n\nThe fix is live: exports now include a UTF-8 byte order mark and no longer stop on long line items. Please give it another try and let me know if anything looks off.\n\n{agent}"},
	},
	{
		labels:   []string{"integration", "bug"},
		subjects: []string{"API returns 429 Too Many Requests", "Rate limited on the invoices API", "Getting 429s from api.acme.com since {weekday}"},
		bodies: [][]string{
			{"Hi,", "Hello Acme developers,"},
			{"our nightly sync to {erp} calls GET /v2/invoices and since {weekday} we get HTTP 429 after about {count} requests. We haven't changed anything on our side.", "we're building an integration and keep hitting 429 Too Many Requests even though we only send a few requests per second."},
			{"What are the actual limits, and is there a way to raise them for our account?", "Is there a bulk endpoint we should use instead?"},
		},
		replies: []string{
			"Hi {first},\n\nThe limit is 600 requests per minute per API key, and we recently started enforcing it strictly. Your sync sends bursts of about 1,500 requests within the first minute.\n\nPlease honour the `Retry-After` header and use `updated_since` to fetch only changed invoices; that should bring you well below the limit.\n\nBest,\n{agent}",
			"Hi {first},\n\nThere is a bulk endpoint: `GET /v2/invoices?updated_since=...&per_page=200`. I've also raised your limit to 1,200/min for the next 30 days while you switch over.\n\n{agent}",
		},
		internals: []string{"API gateway logs: key ak_{hex8} peaks at ~{count} req/min at 02:00 UTC. Raised limit temporarily via admin console.", "Their client retries immediately on 429 without backoff, which makes it worse."},
		followups: []string{"Thanks, we added backoff. Still seeing a few 429s at 02:00 though. Logs attached.", "The updated_since parameter works great, the sync is down from 40 minutes to 2.", "Could you make the raised limit permanent? We'll be growing quickly."},
		closing:   []string{"Hi {first},\n\nGood to hear the sync is healthy now. I've made the 1,200/min limit permanent for your account. Closing this one; feel free to reply if you see 429s again.\n\n{agent}"},
	},
	{
		labels:   []string{"integration"},
		subjects: []string{"Webhooks failing for invoice.paid", "Webhook deliveries show 'SSL handshake failed'", "We stopped receiving webhooks"},
		bodies: [][]string{
			{"Hi support,", "Hello,"},
			{"since {date} our endpoint https://hooks.{domain}/acme no longer receives invoice.paid events. The webhook page shows \"Failed (SSL handshake failed)\" for all deliveries.", "our webhook endpoint was disabled automatically. We had an outage on {weekday} but everything is back up now."},
			{"How can we replay the missed events? There should be around {count} of them.", "Can you re-enable it and resend the events from the last days?"},
		},
		replies: []string{
			"Hi {first},\n\nYour endpoint's certificate chain is missing the intermediate certificate, so our webhook client rejects the handshake. Once you serve the full chain, use \"Resend failed deliveries\" on the webhook page to replay the missed events.\n\nBest regards,\n{agent}",
			"Hi {first},\n\nEndpoints are disabled after 3 days of consecutive failures. I've re-enabled yours and queued the {count} missed events for redelivery.\n\n{agent}",
		},
		internals: []string{"Delivery log: x509: certificate signed by unknown authority for hooks.{domain}. SSL Labs shows incomplete chain.", "Re-enabled endpoint, replay job queued for {count} events."},
		followups: []string{"We fixed the certificate chain. Is there a way to replay only invoice.paid and not all events?", "Events are arriving again, thanks a lot!", "Some replayed events arrived twice. Is that expected?"},
		closing:   []string{"Hi {first},\n\nDuplicate deliveries can happen during a replay; every event carries an `id`, so your endpoint can skip ids it has already processed. Everything looks healthy on our side now, so I'm closing this ticket.\n\n{agent}"},
	},
	{
		labels:   []string{"billing", "refund"},
		subjects: []string{"Refund request - charged twice", "Double charge on {date}", "Please refund annual plan"},
		bodies: [][]string{
			{"Hello,", "Hi Acme,"},
			{"we were charged twice for our {plan} subscription on {date} ({amount} each). Please refund the duplicate charge.", "we upgraded to the annual {plan} plan by mistake on {date} and were charged {amount}. We only wanted to stay monthly."},
			{"Our company name is {company}, the account e-mail is {email}.", "Can you refund it and switch us back? Thank you."},
		},
		replies: []string{
			"Hi {first},\n\nYou're right, the renewal was charged twice because of a retry on our side. I've refunded the duplicate {amount}; depending on your bank it appears on your statement within 5 to 10 business days.\n\nApologies for the inconvenience.\n{agent}",
			"Hi {first},\n\nNo problem. I've refunded {amount} and switched the account back to monthly billing, effective today. You'll get a credit note by e-mail shortly.\n\n{agent}",
		},
		internals: []string{"Stripe: two successful charges ch_{hex8} within 40s, idempotency key missing on retry. Refunded the second one.", "Refund over 500 EUR, needs approval from finance. Pinged in #finance-approvals."},
		followups: []string{"Thanks! Could you also send the credit note to our accounting at ap@{domain}?", "I don't see the refund yet, could you send me the refund reference?", "Received, thank you very much."},
		closing:   []string{"Hi {first},\n\nThe refund reference is re_{hex8}; your bank can trace it with that. I've also sent the credit note to your accounting team. Closing this ticket now.\n\nBest,\n{agent}"},
	},
	{
		labels:   []string{"feature-request"},
		subjects: []string{"Feature request: recurring invoices per quarter", "Can we schedule invoices quarterly?", "Suggestion: multi-currency reports", "Request: custom fields on invoices"},
		bodies: [][]string{
			{"Hi,", "Hello Acme team,"},
			{"we love Acme so far, but we're missing the option to send recurring invoices quarterly. Right now we can only pick weekly, monthly or yearly.", "we bill clients in EUR, USD and GBP and would like the revenue report to convert everything to EUR at the invoice date rate.", "we need a custom field for purchase order numbers on our invoices; several of our clients reject invoices without one."},
			{"Is this on your roadmap? It would save us a lot of manual work every month.", "Happy to jump on a call if you want more details about our use case."},
		},
		replies: []string{
			"Hi {first},\n\nThanks for the suggestion! I've passed it to our product team together with your use case. I can't promise a date, but I'll update this ticket when there's news.\n\nIn the meantime, a workaround some customers use: {workaround}\n\nBest regards,\n{agent}",
		},
		internals: []string{"Added +1 to the product board item, now {count} requests from {plan} customers.", "Product says this is planned for next quarter, don't promise a date."},
		followups: []string{"Thanks, the workaround will do for now. Please keep us posted.", "Any update on this? We're now {count} people using Acme and the need is growing."},
		closing:   []string{"Hi {first},\n\nGood news: this shipped in today's release! You'll find it under Settings → Invoices. Thanks again for the suggestion.\n\n{agent}"},
	},
	{
		labels:   []string{"how-to"},
		subjects: []string{"How do I add a second user?", "Question: changing the invoice template logo", "How to send reminders automatically?", "Where do I change our company address?"},
		bodies: [][]string{
			{"Hi,", "Hello,", "Good morning,"},
			{"quick question: how do I add my colleague to our Acme account? I can't find the option anywhere.", "we changed our logo and I'd like to update it on all invoice templates. Is there one place to do that?", "is there a way to send payment reminders automatically when an invoice is {count} days overdue?", "we moved offices. Where do I change the address that is printed on invoices?"},
			{"Thanks in advance!", "Thank you,"},
		},
		replies: []string{
			"Hi {first},\n\nSure! {howto}\n\nLet me know if anything is unclear.\n\nBest,\n{agent}",
		},
		internals: []string{"Sent link to the help center article, suggest we make this setting more visible."},
		followups: []string{"Found it, thanks!", "Thanks. Does this also apply to invoices that were already sent?"},
		closing:   []string{"Hi {first},\n\nIt only applies to new invoices; invoices that were already sent keep their original layout so the documents stay unchanged. I'll close this now.\n\n{agent}"},
	},
}

var (
	plans       = []string{"Starter", "Growth", "Business", "Enterprise"}
	idps        = []string{"Okta", "Microsoft Entra ID", "Google Workspace", "OneLogin", "JumpCloud"}
	erps        = []string{"Xero", "QuickBooks", "DATEV", "SAP Business One", "NetSuite"}
	cardBrands  = []string{"Visa", "Mastercard", "American Express"}
	mailhosts   = []string{"Microsoft 365", "Google Workspace", "Mimecast", "Proofpoint"}
	weekdays    = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	workarounds = []string{"duplicate last quarter's invoice with the \"Duplicate\" action and adjust the dates.", "export the report and convert with the exchange rates of the month in a spreadsheet.", "put the PO number in the invoice notes field, which is printed under the totals."}
	howtos      = []string{"Go to Settings → Team → Invite member, enter your colleague's e-mail and pick a role. They get an invitation link valid for 7 days.", "Upload the new logo under Settings → Branding; all templates use it from then on.", "Open Settings → Reminders, switch on \"Automatic reminders\" and choose after how many days they go out.", "Change it under Settings → Company profile; the address is printed on every invoice created afterwards."}
)
