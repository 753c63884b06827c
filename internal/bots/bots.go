// Package bots tells people from the machines that fetch checkout links:
// link-preview fetchers, search engines, crawlers and browser prefetches, which
// get a preview page instead of a checkout session (SPEC §4.2).
package bots

import (
	"net/http"
	"strings"
	"sync"
)

// previewAgents are lower-case fragments of the User-Agents of link-preview fetchers,
// search engines and AI crawlers whose names the generic word check below would miss
// or that are worth naming (SPEC §4.2).
var previewAgents = []string{
	// Chat and social link previews. In-app browsers (Instagram, Snapchat, Pinterest,
	// LinkedIn apps) carry their app's name too, so only the fetchers' tokens are here.
	"slackbot", "slack-imgproxy", "discordbot", "twitterbot", "facebookexternalhit",
	"facebot", "facebookcatalog", "meta-externalagent", "meta-externalfetcher",
	"linkedinbot", "whatsapp/", "telegrambot", "skypeuripreview", "microsoftpreview",
	"pinterest/0.", "pinterestbot", "redditbot", "mastodon/", "pleroma", "misskey/",
	"akkoma", "cardyb", "embedly", "iframely", "vkshare", "discourse forum onebox",
	"google-pagerenderer", "google web preview", "outbrain", "nuzzel", "qwantify",
	// Search engines.
	"googlebot", "google-inspectiontool", "googleother", "storebot-google",
	"adsbot-google", "mediapartners-google", "feedfetcher-google", "apis-google",
	"bingbot", "bingpreview", "duckduckbot", "duckassistbot", "baiduspider",
	"yandexbot", "yandeximages", "applebot", "yahoo! slurp", "seznambot", "petalbot",
	// AI crawlers and assistants fetching pages.
	"gptbot", "chatgpt-user", "oai-searchbot", "claudebot", "claude-web", "claude-user",
	"claude-searchbot", "anthropic-ai", "perplexitybot", "perplexity-user", "ccbot",
	"bytespider", "amazonbot", "cohere-ai", "diffbot", "youbot",
	// SEO tools and uptime checkers.
	"ahrefsbot", "semrushbot", "mj12bot", "uptimerobot", "pingdom", "chrome-lighthouse",
}

// botFalsePositives are device or browser names containing "bot" that are people.
var botFalsePositives = []string{"cubot"}

// IsPreview reports whether a request to a checkout link comes from something other
// than a person about to buy: a HEAD request, a browser prefetch or prerender
// (Sec-Purpose, Purpose, X-Purpose, X-Moz), or a link-preview bot, search engine or
// crawler by its User-Agent (case-insensitive). Such visits get a preview page and no
// session. curl, wget, HTTP libraries and headless browsers count as people: tests
// and merchants use them to open links on purpose.
func IsPreview(method string, h http.Header) bool {
	if method == http.MethodHead {
		return true
	}
	for _, name := range purposeHeaders {
		vs := h.Values(name)
		if len(vs) == 0 {
			continue
		}
		v := strings.ToLower(strings.Join(vs, ","))
		if strings.Contains(v, "prefetch") || strings.Contains(v, "preview") {
			return true
		}
	}
	return IsBotAgent(h.Get("User-Agent"))
}

var purposeHeaders = []string{"Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"}

// agentVerdicts remembers IsBotAgent's answers: a link's visitors bring a few
// distinct User-Agents over and over, and matching one against every known agent
// costs microseconds on each visit. It is emptied when it grows past 4096.
var agentVerdicts struct {
	sync.RWMutex
	m map[string]bool
}

// IsBotAgent reports whether a User-Agent names a bot, crawler or link previewer:
// one of the known agents, or a word ending in "bot", or "crawler", "spider" or
// "crawling" anywhere. An empty User-Agent counts as a person.
func IsBotAgent(ua string) bool {
	if len(ua) > 512 {
		return isBotAgent(ua) // not worth remembering
	}
	agentVerdicts.RLock()
	bot, ok := agentVerdicts.m[ua]
	agentVerdicts.RUnlock()
	if ok {
		return bot
	}
	bot = isBotAgent(ua)
	agentVerdicts.Lock()
	if agentVerdicts.m == nil || len(agentVerdicts.m) >= 4096 {
		agentVerdicts.m = make(map[string]bool)
	}
	agentVerdicts.m[strings.Clone(ua)] = bot
	agentVerdicts.Unlock()
	return bot
}

func isBotAgent(ua string) bool {
	ua = strings.ToLower(ua)
	if ua == "" {
		return false
	}
	for _, a := range previewAgents {
		if strings.Contains(ua, a) {
			return true
		}
	}
	for _, w := range []string{"crawler", "spider", "crawling"} {
		if strings.Contains(ua, w) {
			return true
		}
	}
	return hasBotWord(ua)
}

// hasBotWord finds "bot" closing a word ("Googlebot/2.1", "some-bot;", "Bot)"), but
// not inside one ("Abbott", "robots") nor in known device names ("CUBOT X30").
func hasBotWord(ua string) bool {
	for _, fp := range botFalsePositives {
		ua = strings.ReplaceAll(ua, fp, "")
	}
	for i := 0; ; {
		j := strings.Index(ua[i:], "bot")
		if j < 0 {
			return false
		}
		j += i
		end := j + 3
		if end == len(ua) || !isLetter(ua[end]) {
			return true
		}
		i = end
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' }
