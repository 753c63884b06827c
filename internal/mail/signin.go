package mail

// SignInLinkData is a dashboard sign-in link's content (KindSignInLink, to the
// user; UserID set on the Message).
type SignInLinkData struct {
	Email string // the account's address
	Link  string // the one-time link
	Valid string // how long it works: "72 hours"
}
