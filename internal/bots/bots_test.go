package bots

import (
	"net/http"
	"testing"
)

func TestIsPreviewUserAgents(t *testing.T) {
	bots := []string{
		"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
		"Slack-ImgProxy (+https://api.slack.com/robots)",
		"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
		"Twitterbot/1.0",
		"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
		"facebookexternalhit/1.1 Facebot Twitterbot/1.0", // iMessage
		"meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
		"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
		"WhatsApp/2.23.20.0 A",
		"TelegramBot (like TwitterBot)",
		"Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)",
		"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
		"DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
		"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
		"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot",
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; +https://openai.com/searchbot",
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
		"Claude-Web/1.0 (web crawler; +https://www.anthropic.com/)",
		"anthropic-ai",
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)",
		"CCBot/2.0 (https://commoncrawl.org/faq/)",
		"Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.5 Safari/605.1.15 (Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot)",
		"Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)",
		"Pinterest/0.2 (+https://www.pinterest.com/bot.html)",
		"Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)",
		"Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)",
		"http.rb/5.1.1 (Mastodon/4.2.7; +https://mastodon.social/) Bot",
		"http.rb/5.1.1 (Mastodon/4.2.7; +https://mastodon.social/)",
		"Iframely/1.3.1 (+https://iframely.com/docs/about)",
		"Bluesky Cardyb/1.1",
		"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
		"Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
		"Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
		"Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
		"Mozilla/5.0 (compatible; SomeNewCrawler/1.0)",
		"my-shop-bot",
		"Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
	}
	people := []string{
		"",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
		"Mozilla/5.0 (Linux; Android 10; CUBOT_X30 Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.36.107;FBBV/621253347]",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.30.1500",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
		"curl/8.5.0",
		"Wget/1.21.4",
		"Go-http-client/1.1",
		"python-requests/2.32.3",
		"Abbott Laboratories kiosk",
	}
	for _, c := range []struct {
		agents []string
		want   bool
		wrong  string
	}{{bots, true, "bot not recognized"}, {people, false, "person taken for a bot"}} {
		for _, ua := range c.agents {
			if IsPreview(http.MethodGet, http.Header{"User-Agent": {ua}}) != c.want {
				t.Errorf("%s: %q", c.wrong, ua)
			}
		}
	}
}

func TestIsPreviewRequests(t *testing.T) {
	chrome := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	tests := []struct {
		name   string
		method string
		h      http.Header
		want   bool
	}{
		{"plain GET", http.MethodGet, http.Header{"User-Agent": {chrome}}, false},
		{"HEAD", http.MethodHead, http.Header{"User-Agent": {chrome}}, true},
		{"Sec-Purpose prefetch", http.MethodGet, http.Header{"User-Agent": {chrome}, "Sec-Purpose": {"prefetch"}}, true},
		{"Sec-Purpose prerender", http.MethodGet, http.Header{"User-Agent": {chrome}, "Sec-Purpose": {"prefetch;prerender"}}, true},
		{"Purpose prefetch", http.MethodGet, http.Header{"User-Agent": {chrome}, "Purpose": {"Prefetch"}}, true},
		{"X-Purpose preview", http.MethodGet, http.Header{"User-Agent": {chrome}, "X-Purpose": {"preview"}}, true},
		{"X-Moz prefetch", http.MethodGet, http.Header{"User-Agent": {chrome}, "X-Moz": {"prefetch"}}, true},
		{"unrelated purpose", http.MethodGet, http.Header{"User-Agent": {chrome}, "Sec-Purpose": {"navigate"}}, false},
		{"no headers", http.MethodGet, http.Header{}, false},
		{"bot UA upper case", http.MethodGet, http.Header{"User-Agent": {"SLACKBOT-LINKEXPANDING 1.0"}}, true},
	}
	for _, tt := range tests {
		if got := IsPreview(tt.method, tt.h); got != tt.want {
			t.Errorf("%s: IsPreview = %v, want %v", tt.name, got, tt.want)
		}
	}
}
