#include "jsonnumber.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace portolan::jsonschema {

std::optional<JsonNumber> JsonNumber::parse(std::string_view text)
{
    JsonNumber n;
    std::string_view s = text;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        n.negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s == ".inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN") {
        n.finite = false;
        n.approx = s[1] == 'n' || s[1] == 'N' ? std::numeric_limits<double>::quiet_NaN()
                                             : (n.negative ? -HUGE_VAL : HUGE_VAL);
        return n;
    }
    std::string digits;
    std::int64_t exponent = 0;
    std::size_t i = 0;
    bool any = false;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, any = true)
        digits += s[i];
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, any = true) {
            digits += s[i];
            --exponent;
        }
    }
    if (!any)
        return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool negativeExponent = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            negativeExponent = s[i++] == '-';
        std::int64_t e = 0;
        bool expDigits = false;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, expDigits = true)
            e = std::min<std::int64_t>(e * 10 + (s[i] - '0'), 1'000'000'000'000LL);  // saturate: 1e99999999999999 stays huge
        if (!expDigits)
            return std::nullopt;
        exponent += negativeExponent ? -e : e;
    }
    if (i != s.size())
        return std::nullopt;
    const std::size_t firstNonZero = digits.find_first_not_of('0');
    if (firstNonZero == std::string::npos) {
        digits.clear();
        exponent = 0;
        n.negative = false;
    } else {
        digits.erase(0, firstNonZero);
        const std::size_t lastNonZero = digits.find_last_not_of('0');
        exponent += std::int64_t(digits.size() - 1 - lastNonZero);
        digits.resize(lastNonZero + 1);
    }
    n.digits = std::move(digits);
    n.exponent = exponent;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc::result_out_of_range)
        value = exponent > 0 ? HUGE_VAL : 0.0;
    (void)ptr;
    n.approx = n.negative ? -value : value;
    return n;
}

namespace {

// Compares magnitudes.
int compareMagnitude(const JsonNumber &a, const JsonNumber &b)
{
    if (a.isZero() || b.isZero())
        return a.isZero() == b.isZero() ? 0 : (a.isZero() ? -1 : 1);
    // Position of the most significant digit.
    const std::int64_t ta = a.exponent + std::int64_t(a.digits.size());
    const std::int64_t tb = b.exponent + std::int64_t(b.digits.size());
    if (ta != tb)
        return ta < tb ? -1 : 1;
    const int c = a.digits.compare(b.digits);  // same leading position: lexicographic is numeric
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

} // namespace

int compare(const JsonNumber &a, const JsonNumber &b)
{
    if (!a.finite || !b.finite)
        return a.approx < b.approx ? -1 : (a.approx > b.approx ? 1 : 0);
    if (a.negative != b.negative)
        return a.negative ? -1 : 1;
    const int m = compareMagnitude(a, b);
    return a.negative ? -m : m;
}

bool isMultipleOf(const JsonNumber &value, const JsonNumber &divisor)
{
    if (!value.finite || !divisor.finite || divisor.isZero())
        return false;
    if (value.isZero())
        return true;
    if (divisor.digits.size() <= 18) {
        // value / divisor = (V / D) × 10^e. Both V and D end in a non-zero
        // digit, so with e < 0 the quotient can only be whole if D·10^-e
        // divides V, which needs V to end in a zero: never.
        const std::int64_t e = value.exponent - divisor.exponent;
        if (e < 0)
            return false;
        // Products of two remainders below 10^18 need 120 bits.
        __extension__ typedef unsigned __int128 Wide;
        const Wide d = std::stoull(divisor.digits);
        Wide r = 0;
        for (char c : value.digits)
            r = (r * 10 + unsigned(c - '0')) % d;
        // r × 10^e mod d, by squaring.
        Wide base = 10 % d, power = 1 % d;
        for (std::int64_t k = e; k > 0; k >>= 1) {
            if (k & 1)
                power = power * base % d;
            base = base * base % d;
        }
        return r * power % d == 0;
    }
    const double q = value.approx / divisor.approx;
    return std::isfinite(q) && std::abs(q - std::round(q)) < 1e-9;
}

} // namespace portolan::jsonschema
