#include "schemaformats.h"

#include "ecmaregex.h"
#include "jsonnumber.h"

#include <QString>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace portolan::jsonschema {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Exactly `n` ASCII digits at s[pos], as a number; -1 otherwise.
int digits(std::string_view s, std::size_t pos, std::size_t n)
{
    if (pos + n > s.size())
        return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!isDigit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool isLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool isFullDate(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return d <= days[m - 1] + (m == 2 && isLeapYear(y) ? 1 : 0);
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|±HH:MM). A leap second is valid
// only at 23:59:60 UTC.
bool isFullTime(std::string_view s)
{
    if (s.size() < 9 || s[2] != ':' || s[5] != ':')
        return false;
    const int h = digits(s, 0, 2), m = digits(s, 3, 2), sec = digits(s, 6, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
        return false;
    std::size_t i = 8;
    if (i < s.size() && s[i] == '.') {
        const std::size_t start = ++i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        if (i == start)
            return false;
    }
    if (i >= s.size())
        return false;
    int offsetMinutes = 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        if (i + 1 != s.size())
            return false;
    } else if (s[i] == '+' || s[i] == '-') {
        if (s.size() - i != 6 || s[i + 3] != ':')
            return false;
        const int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return false;
        offsetMinutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
        return false;
    }
    if (sec == 60) {
        const int utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440;
        return utc == 23 * 60 + 59;
    }
    return true;
}

bool isDateTime(std::string_view s)
{
    return s.size() > 11 && (s[10] == 'T' || s[10] == 't') && isFullDate(s.substr(0, 10)) && isFullTime(s.substr(11));
}

// RFC 3339 appendix A: P[nY][nM][nD][T[nH][nM][nS]] with units in order and
// none skipped inside a run, or PnW alone.
bool isDuration(std::string_view s)
{
    if (s.size() < 2 || s[0] != 'P')
        return false;
    std::size_t i = 1;
    auto number = [&]() {
        const std::size_t start = i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        return i > start && i < s.size();
    };
    auto units = [&](std::string_view order) {
        // One or more numbers with units, each unit after the previous one with none skipped.
        int last = -1;
        bool any = false;
        while (i < s.size() && s[i] != 'T') {
            if (!number())
                return false;
            const std::size_t u = order.find(s[i]);
            if (u == std::string_view::npos || (last >= 0 && int(u) != last + 1))
                return false;
            last = int(u);
            ++i;
            any = true;
        }
        return any;
    };
    if (s.size() >= 3 && s.back() == 'W') {
        i = 1;
        return number() && i == s.size() - 1;
    }
    if (s[i] != 'T' && !units("YMD"))
        return false;
    if (i < s.size()) {
        ++i;  // 'T'
        if (!units("HMS") || i != s.size())
            return false;
    }
    return true;
}

// RFC 3492 Punycode's parameters and its bias adaptation (section 6.1).
constexpr std::uint32_t punycodeBase = 36, punycodeTMin = 1, punycodeTMax = 26;

std::uint32_t adaptPunycodeBias(std::uint32_t delta, std::uint32_t points, bool first)
{
    constexpr std::uint32_t skew = 38, damp = 700;
    delta = first ? delta / damp : delta / 2;
    delta += delta / points;
    std::uint32_t k = 0;
    while (delta > ((punycodeBase - punycodeTMin) * punycodeTMax) / 2) {
        delta /= punycodeBase - punycodeTMin;
        k += punycodeBase;
    }
    return k + (punycodeBase * delta) / (delta + skew);
}

// RFC 3492 Punycode, the part of an A-label after "xn--".
std::optional<std::u32string> decodePunycode(std::string_view in)
{
    constexpr std::uint32_t base = punycodeBase, tMin = punycodeTMin, tMax = punycodeTMax, maxInt = 0x7FFFFFFF;
    const auto adapt = adaptPunycodeBias;
    std::u32string out;
    const std::size_t lastDash = in.rfind('-');
    std::size_t pos = 0;
    if (lastDash != std::string_view::npos) {
        for (std::size_t k = 0; k < lastDash; ++k)
            out += char32_t(static_cast<unsigned char>(in[k]));
        pos = lastDash + 1;
    }
    std::uint32_t n = 128, i = 0, bias = 72;
    while (pos < in.size()) {
        const std::uint32_t oldI = i;
        std::uint32_t w = 1;
        for (std::uint32_t k = base;; k += base) {
            if (pos >= in.size())
                return std::nullopt;
            const char c = in[pos++];
            const std::uint32_t digit = isDigit(c) ? std::uint32_t(c - '0' + 26)
                : (c >= 'a' && c <= 'z') ? std::uint32_t(c - 'a') : (c >= 'A' && c <= 'Z') ? std::uint32_t(c - 'A') : base;
            if (digit >= base || digit > (maxInt - i) / w)
                return std::nullopt;
            i += digit * w;
            const std::uint32_t t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias);
            if (digit < t)
                break;
            if (w > maxInt / (base - t))
                return std::nullopt;
            w *= base - t;
        }
        const std::uint32_t points = std::uint32_t(out.size() + 1);
        bias = adapt(i - oldI, points, oldI == 0);
        if (i / points > maxInt - n)
            return std::nullopt;
        n += i / points;
        i %= points;
        if (n > 0x10FFFF || out.size() > 63)
            return std::nullopt;
        out.insert(out.begin() + i, char32_t(n));
        ++i;
    }
    return out;
}

// RFC 3492 Punycode encoding of a label, without the "xn--" prefix.
std::string encodePunycode(const std::u32string &in)
{
    constexpr std::uint32_t base = punycodeBase, tMin = punycodeTMin, tMax = punycodeTMax;
    const auto adapt = adaptPunycodeBias;
    auto digit = [](std::uint32_t d) { return char(d < 26 ? 'a' + d : '0' + (d - 26)); };
    std::string out;
    for (char32_t c : in) {
        if (c < 0x80)
            out += char(c);
    }
    const std::uint32_t basic = std::uint32_t(out.size());
    if (basic > 0)
        out += '-';
    std::uint32_t n = 128, delta = 0, bias = 72, handled = basic;
    while (handled < in.size()) {
        std::uint32_t m = 0x10FFFF;
        for (char32_t c : in) {
            if (c >= n && c < m)
                m = c;
        }
        delta += (m - n) * (handled + 1);  // callers pass at most 59 code points: no overflow
        n = m;
        for (char32_t c : in) {
            if (c < n)
                ++delta;
            if (c != n)
                continue;
            std::uint32_t q = delta;
            for (std::uint32_t k = base;; k += base) {
                const std::uint32_t t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias);
                if (q < t)
                    break;
                out += digit(t + (q - t) % (base - t));
                q = (q - t) / (base - t);
            }
            out += digit(q);
            bias = adapt(delta, handled + 1, handled == basic);
            delta = 0;
            ++handled;
        }
        ++delta;
        ++n;
    }
    return out;
}

// RFC 5892's derived property, for the code points outside ASCII: PVALID or
// contextual (checked by isValidULabel) is allowed, DISALLOWED and UNASSIGNED
// are not. Letters, digits and marks that are stable under NFKC case folding
// are PVALID; the rest of the rules follow its exception list.
bool isIdnaAllowed(char32_t c)
{
    switch (c) {
    case 0x00DF: case 0x03C2: case 0x06FD: case 0x06FE: case 0x0F0B: case 0x3007:  // PVALID exceptions
    case 0x00B7: case 0x0375: case 0x05F3: case 0x05F4: case 0x30FB:                // CONTEXTO
    case 0x200C: case 0x200D:                                                       // CONTEXTJ
        return true;
    default:
        break;
    }
    if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9))
        return true;
    switch (QChar::category(c)) {
    case QChar::Letter_Lowercase: case QChar::Letter_Uppercase: case QChar::Letter_Other: case QChar::Number_DecimalDigit:
    case QChar::Letter_Modifier: case QChar::Mark_NonSpacing: case QChar::Mark_SpacingCombining:
        break;
    default:
        return false;
    }
    const QString original = QString::fromUcs4(&c, 1);
    return original.normalized(QString::NormalizationForm_KC).toCaseFolded().normalized(QString::NormalizationForm_KC) == original;
}

// RFC 5892 appendix A.1: ZERO WIDTH NON-JOINER after a virama, or inside a
// cursive join: (L|D) T* ZWNJ T* (R|D) by joining type.
bool zeroWidthNonJoinerAllowed(const std::u32string &label, std::size_t at)
{
    if (at > 0 && QChar::combiningClass(label[at - 1]) == 9)
        return true;
    std::size_t i = at;
    while (i > 0 && QChar::joiningType(label[i - 1]) == QChar::Joining_Transparent)
        --i;
    if (i == 0)
        return false;
    const QChar::JoiningType before = QChar::joiningType(label[i - 1]);
    if (before != QChar::Joining_Left && before != QChar::Joining_Dual)
        return false;
    std::size_t k = at + 1;
    while (k < label.size() && QChar::joiningType(label[k]) == QChar::Joining_Transparent)
        ++k;
    if (k == label.size())
        return false;
    const QChar::JoiningType after = QChar::joiningType(label[k]);
    return after == QChar::Joining_Right || after == QChar::Joining_Dual;
}

bool isRightToLeft(char32_t c)
{
    const QChar::Direction d = QChar::direction(c);
    return d == QChar::DirR || d == QChar::DirAL || d == QChar::DirAN;
}

// RFC 5893 section 2, the Bidi rule every label of a domain name with a
// right-to-left character keeps.
bool keepsBidiRule(const std::u32string &label)
{
    if (label.empty())
        return false;
    const QChar::Direction first = QChar::direction(label.front());
    if (first != QChar::DirL && first != QChar::DirR && first != QChar::DirAL)
        return false;
    const bool rtl = first != QChar::DirL;
    bool european = false, arabic = false;
    for (char32_t c : label) {
        const QChar::Direction d = QChar::direction(c);
        european = european || d == QChar::DirEN;
        arabic = arabic || d == QChar::DirAN;
        const bool common = d == QChar::DirEN || d == QChar::DirES || d == QChar::DirCS || d == QChar::DirET
            || d == QChar::DirON || d == QChar::DirBN || d == QChar::DirNSM;
        const bool allowed = rtl ? (common || d == QChar::DirR || d == QChar::DirAL || d == QChar::DirAN) : (common || d == QChar::DirL);
        if (!allowed)
            return false;
    }
    std::size_t end = label.size();
    while (end > 0 && QChar::direction(label[end - 1]) == QChar::DirNSM)
        --end;
    if (end == 0)
        return false;
    const QChar::Direction last = QChar::direction(label[end - 1]);
    if (rtl)
        return (last == QChar::DirR || last == QChar::DirAL || last == QChar::DirEN || last == QChar::DirAN) && !(european && arabic);
    return last == QChar::DirL || last == QChar::DirEN;
}

// The IDNA 2008 rules (RFC 5891 4.2.3, RFC 5892 appendix A and its DISALLOWED
// exceptions) that a U-label, or what an A-label decodes to, must keep.
bool isValidULabel(const std::u32string &label)
{
    if (label.empty() || (label.size() >= 4 && label[2] == '-' && label[3] == '-') || label.front() == '-' || label.back() == '-')
        return false;
    const QChar::Category first = QChar::category(char32_t(label.front()));
    if (first == QChar::Mark_NonSpacing || first == QChar::Mark_SpacingCombining || first == QChar::Mark_Enclosing)
        return false;
    bool arabicIndic = false, extendedArabicIndic = false, kanaOrHan = false, katakanaMiddleDot = false;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char32_t c = label[i];
        if (c >= 0x80 && !isIdnaAllowed(c))
            return false;
        const char32_t before = i > 0 ? label[i - 1] : 0;
        const char32_t after = i + 1 < label.size() ? label[i + 1] : 0;
        switch (c) {
        case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033: case 0x3034:
        case 0x3035: case 0x303B:
            return false;
        case 0x00B7:  // MIDDLE DOT only in "l·l"
            if (before != 'l' || after != 'l')
                return false;
            break;
        case 0x0375:  // GREEK KERAIA before Greek
            if (!after || QChar::script(after) != QChar::Script_Greek)
                return false;
            break;
        case 0x05F3: case 0x05F4:  // GERESH, GERSHAYIM after Hebrew
            if (!before || QChar::script(before) != QChar::Script_Hebrew)
                return false;
            break;
        case 0x200D:  // ZERO WIDTH JOINER after a virama
            if (!before || QChar::combiningClass(before) != 9)
                return false;
            break;
        case 0x200C:  // ZERO WIDTH NON-JOINER
            if (!zeroWidthNonJoinerAllowed(label, i))
                return false;
            break;
        case 0x30FB:
            katakanaMiddleDot = true;
            break;
        default:
            break;
        }
        arabicIndic = arabicIndic || (c >= 0x0660 && c <= 0x0669);
        extendedArabicIndic = extendedArabicIndic || (c >= 0x06F0 && c <= 0x06F9);
        if (c != 0x30FB) {
            const QChar::Script script = QChar::script(c);
            kanaOrHan = kanaOrHan || script == QChar::Script_Hiragana || script == QChar::Script_Katakana || script == QChar::Script_Han;
        }
    }
    return !(arabicIndic && extendedArabicIndic) && !(katakanaMiddleDot && !kanaOrHan);
}

// An LDH label (letters, digits, hyphens; RFC 1123), or an A-label whose
// decoded form is a valid U-label and which is Punycode's own encoding of it.
// `decoded` receives the label's Unicode form.
bool isAsciiLabel(std::string_view label, std::u32string *decoded)
{
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
    for (char c : label) {
        if (!isAlpha(c) && !isDigit(c) && c != '-')
            return false;
    }
    decoded->assign(label.begin(), label.end());
    if (label.size() > 4 && (label[0] == 'x' || label[0] == 'X') && (label[1] == 'n' || label[1] == 'N') && label.substr(2, 2) == "--") {
        const std::optional<std::u32string> unicode = decodePunycode(label.substr(4));
        if (!unicode || !isValidULabel(*unicode))
            return false;
        const bool onlyAscii = std::all_of(unicode->begin(), unicode->end(), [](char32_t c) { return c < 0x80; });
        std::string canonical(label.substr(4));
        std::transform(canonical.begin(), canonical.end(), canonical.begin(), [](char c) { return char(std::tolower(c)); });
        if (onlyAscii || encodePunycode(*unicode) != canonical)
            return false;
        *decoded = *unicode;
    }
    return true;
}

// A host name of LDH labels and A-labels (`hostname`), or also of U-labels
// separated by any of IDNA's four full stops (`idn-hostname`, RFC 5890).
bool isHostname(std::string_view s, bool internationalized)
{
    // Each code point is at least one octet of the ASCII form, which has at
    // most 253; longer input is refused before any decoding work.
    if (s.empty() || s.size() > (internationalized ? 253 * 4 : 253))
        return false;
    const QString text = QString::fromUtf8(s.data(), qsizetype(s.size()));
    if (text.contains(QChar::ReplacementCharacter))
        return false;
    std::vector<std::u32string> labels(1);
    for (char32_t c : text.toUcs4()) {
        const bool separator = c == '.' || (internationalized && (c == 0x3002 || c == 0xFF0E || c == 0xFF61));
        if (separator)
            labels.emplace_back();
        else
            labels.back() += c;
    }
    std::size_t asciiLength = labels.size() - 1;
    bool rightToLeft = false;
    std::vector<std::u32string> decodedLabels;
    for (const std::u32string &label : labels) {
        std::u32string decoded;
        if (std::all_of(label.begin(), label.end(), [](char32_t c) { return c < 0x80; })) {
            const std::string ascii(label.begin(), label.end());
            if (!isAsciiLabel(ascii, &decoded))
                return false;
            asciiLength += ascii.size();
        } else {
            if (!internationalized || label.size() > 59 || !isValidULabel(label))
                return false;
            const std::size_t encodedLength = 4 + encodePunycode(label).size();
            if (encodedLength > 63)
                return false;
            decoded = label;
            asciiLength += encodedLength;
        }
        rightToLeft = rightToLeft || std::any_of(decoded.begin(), decoded.end(), isRightToLeft);
        decodedLabels.push_back(std::move(decoded));
    }
    if (asciiLength > 253)
        return false;
    return !rightToLeft || std::all_of(decodedLabels.begin(), decodedLabels.end(), keepsBidiRule);
}

bool isIpv4(std::string_view s)
{
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        const std::size_t start = i;
        int value = 0;
        while (i < s.size() && isDigit(s[i]) && i - start < 3)
            value = value * 10 + (s[i++] - '0');
        const std::size_t len = i - start;
        if (len == 0 || value > 255 || (len > 1 && s[start] == '0'))
            return false;
        ++parts;
        if (parts < 4) {
            if (i >= s.size() || s[i] != '.')
                return false;
            ++i;
        }
    }
    return i == s.size();
}

bool isIpv6(std::string_view s)
{
    if (s.empty())
        return false;
    int groups = 0;
    bool compressed = false;
    std::size_t i = 0;
    if (s.substr(0, 2) == "::") {
        compressed = true;
        i = 2;
        if (i == s.size())
            return true;
    } else if (s[0] == ':') {
        return false;
    }
    for (;;) {
        // An IPv4 tail takes the place of two groups.
        const std::size_t next = s.find(':', i);
        const std::string_view part = s.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
        if (next == std::string_view::npos && part.find('.') != std::string_view::npos) {
            if (!isIpv4(part))
                return false;
            groups += 2;
            break;
        }
        if (part.empty() || part.size() > 4)
            return false;
        for (char c : part) {
            if (!isHex(c))
                return false;
        }
        ++groups;
        if (next == std::string_view::npos)
            break;
        i = next + 1;
        if (i < s.size() && s[i] == ':') {
            if (compressed)
                return false;
            compressed = true;
            ++i;
            if (i == s.size())
                break;
        } else if (i == s.size()) {
            return false;
        }
    }
    return compressed ? groups < 8 : groups == 8;
}

bool isUuid(std::string_view s)
{
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isHex(s[i]))
            return false;
    }
    return true;
}

// RFC 3986 character classes.
bool isUnreserved(char c) { return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool isSubDelim(char c) { return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos; }

// Whether the URI checks take IRIs (RFC 3987): characters outside ASCII are
// allowed wherever unreserved characters are.
enum class Syntax { Uri, Iri };

// Every character of s is unreserved, a sub-delimiter, one of `extra`, or a
// valid percent escape.
bool isEncoded(std::string_view s, std::string_view extra, Syntax syntax)
{
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (syntax == Syntax::Iri && static_cast<unsigned char>(c) >= 0x80)
            continue;
        if (c == '%') {
            if (i + 2 >= s.size() + 0 || !isHex(s[i + 1]) || !isHex(s[i + 2]))
                return false;
            i += 2;
        } else if (!isUnreserved(c) && !isSubDelim(c) && extra.find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

bool isAuthority(std::string_view a, Syntax syntax)
{
    const std::size_t at = a.rfind('@');
    if (at != std::string_view::npos) {
        if (!isEncoded(a.substr(0, at), ":", syntax))
            return false;
        a.remove_prefix(at + 1);
    }
    std::string_view host = a;
    std::string_view port;
    if (!a.empty() && a.front() == '[') {
        const std::size_t close = a.find(']');
        if (close == std::string_view::npos)
            return false;
        host = a.substr(1, close - 1);
        if (!isIpv6(host) && !(host.size() > 1 && (host[0] == 'v' || host[0] == 'V')))
            return false;
        const std::string_view rest = a.substr(close + 1);
        if (!rest.empty() && rest.front() != ':')
            return false;
        port = rest.empty() ? rest : rest.substr(1);
    } else {
        const std::size_t colon = a.rfind(':');
        if (colon != std::string_view::npos) {
            host = a.substr(0, colon);
            port = a.substr(colon + 1);
        }
        if (!isEncoded(host, "", syntax))
            return false;
    }
    for (char c : port) {
        if (!isDigit(c))
            return false;
    }
    return true;
}

// A URI (or IRI) reference; `absolute` demands a scheme.
bool isUriReference(std::string_view s, bool absolute, Syntax syntax)
{
    std::size_t i = 0;
    const std::size_t colon = s.find(':');
    const std::size_t delimiter = s.find_first_of("/?#");
    if (colon != std::string_view::npos && colon < delimiter) {
        if (colon == 0 || !isAlpha(s[0]))
            return false;
        for (std::size_t k = 1; k < colon; ++k) {
            if (!isAlpha(s[k]) && !isDigit(s[k]) && s[k] != '+' && s[k] != '-' && s[k] != '.')
                return false;
        }
        i = colon + 1;
    } else if (absolute) {
        return false;
    }
    std::string_view rest = s.substr(i);
    const std::size_t hash = rest.find('#');
    if (hash != std::string_view::npos) {
        if (!isEncoded(rest.substr(hash + 1), ":@/?", syntax))
            return false;
        rest = rest.substr(0, hash);
    }
    const std::size_t question = rest.find('?');
    if (question != std::string_view::npos) {
        if (!isEncoded(rest.substr(question + 1), ":@/?", syntax))
            return false;
        rest = rest.substr(0, question);
    }
    if (rest.substr(0, 2) == "//") {
        rest.remove_prefix(2);
        const std::size_t slash = rest.find('/');
        if (!isAuthority(rest.substr(0, slash), syntax))
            return false;
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    } else if (i == 0) {
        // A relative path's first segment must not contain ':' (it would read as a scheme).
        const std::size_t slash = rest.find('/');
        if (rest.substr(0, slash).find(':') != std::string_view::npos)
            return false;
    }
    return isEncoded(rest, ":@/", syntax);
}

// An address (RFC 5321 4.1.2), or with UTF-8 in the local part and an
// internationalized domain (RFC 6531, `idn-email`).
bool isEmail(std::string_view s, bool internationalized)
{
    const std::size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64)
        return false;
    const std::string_view local = s.substr(0, at);
    const std::string_view domain = s.substr(at + 1);
    if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
        for (std::size_t i = 1; i + 1 < local.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(local[i]);
            if (c == '\\') {
                ++i;
            } else if (c == '"' || c < 32 || (c > 126 && !(internationalized && c >= 0x80))) {
                return false;
            }
        }
    } else {
        if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
            return false;
        for (char c : local) {
            if (internationalized && static_cast<unsigned char>(c) >= 0x80)
                continue;
            if (!isAlpha(c) && !isDigit(c) && std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) == std::string_view::npos)
                return false;
        }
    }
    if (domain.size() >= 2 && domain.front() == '[' && domain.back() == ']') {
        const std::string_view literal = domain.substr(1, domain.size() - 2);
        if (literal.substr(0, 5) == "IPv6:")
            return isIpv6(literal.substr(5));
        return isIpv4(literal);
    }
    return isHostname(domain, internationalized);
}

// RFC 6901: "" or "/"-separated tokens where "~" escapes only 0 and 1.
bool isJsonPointer(std::string_view s)
{
    if (!s.empty() && s.front() != '/')
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '~' && (i + 1 == s.size() || (s[i + 1] != '0' && s[i + 1] != '1')))
            return false;
    }
    return true;
}

// draft-bhutton-relative-json-pointer-00: a non-negative integer without
// leading zeros, then "#" or a JSON Pointer.
bool isRelativeJsonPointer(std::string_view s)
{
    std::size_t digits = 0;
    while (digits < s.size() && isDigit(s[digits]))
        ++digits;
    if (digits == 0 || (digits > 1 && s[0] == '0'))
        return false;
    const std::string_view rest = s.substr(digits);
    return rest == "#" || isJsonPointer(rest);
}

// RFC 6570 level 4: literals, and expressions of an optional operator and
// varspecs (a dotted name of letters, digits, "_" and escapes, then a prefix
// length 1 to 9999 or "*").
bool isUriTemplate(std::string_view s)
{
    auto escapeAt = [s](std::size_t i) { return i + 2 < s.size() && s[i] == '%' && isHex(s[i + 1]) && isHex(s[i + 2]); };
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '%') {
            if (!escapeAt(i))
                return false;
            i += 3;
            continue;
        }
        if (c != '{') {
            if (c <= 0x20 || c == 0x7F || std::string_view("\"<>\\^`|}").find(char(c)) != std::string_view::npos)
                return false;
            ++i;
            continue;
        }
        const std::size_t close = s.find('}', i);
        if (close == std::string_view::npos)
            return false;
        std::string_view expression = s.substr(i + 1, close - i - 1);
        if (!expression.empty() && std::string_view("+#./;?&").find(expression.front()) != std::string_view::npos)
            expression.remove_prefix(1);
        std::size_t k = 0;
        for (;;) {
            bool nameChar = false, afterDot = false;
            while (k < expression.size()) {
                if (isAlpha(expression[k]) || isDigit(expression[k]) || expression[k] == '_') {
                    ++k;
                } else if (expression[k] == '%' && k + 2 < expression.size() + 0 && isHex(expression[k + 1]) && isHex(expression[k + 2])) {
                    k += 3;
                } else if (expression[k] == '.' && nameChar && !afterDot) {
                    ++k;
                    afterDot = true;
                    continue;
                } else {
                    break;
                }
                nameChar = true;
                afterDot = false;
            }
            if (!nameChar || afterDot)
                return false;
            if (k < expression.size() && expression[k] == '*') {
                ++k;
            } else if (k < expression.size() && expression[k] == ':') {
                const std::size_t first = ++k;
                while (k < expression.size() && isDigit(expression[k]))
                    ++k;
                if (k == first || k - first > 4 || expression[first] == '0')
                    return false;
            }
            if (k == expression.size())
                break;
            if (expression[k] != ',')
                return false;
            ++k;
        }
        i = close + 1;
    }
    return true;
}

} // namespace

FormatCheck checkFormat(std::string_view format, std::string_view value)
{
    auto result = [](bool ok) { return ok ? FormatCheck::Valid : FormatCheck::Invalid; };
    if (format == "date-time")
        return result(isDateTime(value));
    if (format == "date")
        return result(isFullDate(value));
    if (format == "time")
        return result(isFullTime(value));
    if (format == "duration")
        return result(isDuration(value));
    if (format == "email")
        return result(isEmail(value, false));
    if (format == "idn-email")
        return result(isEmail(value, true));
    if (format == "hostname")
        return result(isHostname(value, false));
    if (format == "idn-hostname")
        return result(isHostname(value, true));
    if (format == "ipv4")
        return result(isIpv4(value));
    if (format == "ipv6")
        return result(isIpv6(value));
    if (format == "uri")
        return result(isUriReference(value, true, Syntax::Uri));
    if (format == "uri-reference")
        return result(isUriReference(value, false, Syntax::Uri));
    if (format == "iri")
        return result(isUriReference(value, true, Syntax::Iri));
    if (format == "iri-reference")
        return result(isUriReference(value, false, Syntax::Iri));
    if (format == "uri-template")
        return result(isUriTemplate(value));
    if (format == "json-pointer")
        return result(isJsonPointer(value));
    if (format == "relative-json-pointer")
        return result(isRelativeJsonPointer(value));
    if (format == "uuid")
        return result(isUuid(value));
    if (format == "regex")
        return result(compileEcmaRegex(QString::fromUtf8(value.data(), qsizetype(value.size()))).error.isEmpty());
    return FormatCheck::Unknown;
}

FormatCheck checkNumberFormat(std::string_view format, std::string_view number)
{
    const bool int32 = format == "int32";
    if (!int32 && format != "int64")
        return FormatCheck::Unknown;
    const std::optional<JsonNumber> n = JsonNumber::parse(number);
    if (!n)
        return FormatCheck::Unknown;
    static const JsonNumber min32 = *JsonNumber::parse("-2147483648"), max32 = *JsonNumber::parse("2147483647");
    static const JsonNumber min64 = *JsonNumber::parse("-9223372036854775808"), max64 = *JsonNumber::parse("9223372036854775807");
    const bool ok = n->isInteger() && compare(*n, int32 ? min32 : min64) >= 0 && compare(*n, int32 ? max32 : max64) <= 0;
    return ok ? FormatCheck::Valid : FormatCheck::Invalid;
}

} // namespace portolan::jsonschema
