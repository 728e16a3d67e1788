// The floor for tests/bench/bench-inspect.sh (not a test): the least any
// program can do with a JSON file — read it, parse it with simdjson's DOM
// parser, and visit every value — so that Portolan's time is read against it.
//   simdjson-floor FILE   prints the number of values and of string bytes
#include <simdjson.h>

#include <cstdio>
#include <vector>

namespace {

struct Totals {
    std::size_t values = 0;
    std::size_t stringBytes = 0;
};

// Iterative, as deep documents must not matter to the stack.
void walk(simdjson::dom::element root, Totals &totals)
{
    std::vector<simdjson::dom::element> stack{root};
    while (!stack.empty()) {
        const simdjson::dom::element e = stack.back();
        stack.pop_back();
        ++totals.values;
        switch (e.type()) {
        case simdjson::dom::element_type::OBJECT:
            for (const simdjson::dom::key_value_pair field : simdjson::dom::object(e)) {
                totals.stringBytes += field.key.size();
                stack.push_back(field.value);
            }
            break;
        case simdjson::dom::element_type::ARRAY:
            for (const simdjson::dom::element item : simdjson::dom::array(e))
                stack.push_back(item);
            break;
        case simdjson::dom::element_type::STRING:
            totals.stringBytes += std::string_view(e).size();
            break;
        default:
            break;
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: simdjson-floor FILE\n");
        return 2;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (const auto error = parser.load(argv[1]).get(root)) {
        std::fprintf(stderr, "simdjson-floor: %s\n", simdjson::error_message(error));
        return 1;
    }
    Totals totals;
    walk(root, totals);
    std::printf("%zu values, %zu string bytes\n", totals.values, totals.stringBytes);
    return 0;
}
