#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portolan::jsonschema {

// A JSON (or YAML) number read exactly from its text: digits × 10^exponent,
// digits without leading or trailing zeros ("" for zero). JSON Schema
// compares numbers by value (1 == 1.0) and at any size, which doubles cannot.
struct JsonNumber {
    bool negative = false;
    std::string digits;
    std::int64_t exponent = 0;
    double approx = 0;  // the nearest double, for fast comparisons and non-finite YAML values
    bool finite = true; // false for YAML's .inf and .nan

    static std::optional<JsonNumber> parse(std::string_view text);
    bool isZero() const { return digits.empty(); }
    bool isInteger() const { return finite && exponent >= 0; }
};

// -1, 0 or 1, exactly.
int compare(const JsonNumber &a, const JsonNumber &b);
// Whether `value` is an integer multiple of `divisor` (> 0), exactly for
// divisors of up to 18 digits.
bool isMultipleOf(const JsonNumber &value, const JsonNumber &divisor);

} // namespace portolan::jsonschema
