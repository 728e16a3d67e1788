#include "oasnames.h"

#include <QStringList>


namespace portolan {

namespace {

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
QString quoted(std::string_view s) { return QLatin1Char('\'') + text(s) + QLatin1Char('\''); }

bool isMethod(const std::string &token)
{
    static const char *const methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"};
    for (const char *m : methods) {
        if (token == m)
            return true;
    }
    return false;
}

// The places the walk knows; each one names what its keys lead to.
enum class Context {
    Root, Info, Servers, Server, Variables, Paths, PathItem, AdditionalOperations, Operation, Parameters,
    Parameter, Responses, Response, Content, MediaType, Headers, Header, Components, ComponentGroup, Schema,
    SecuritySchemes, SecurityScheme, Flows, Tags, Examples, Callbacks, Callback, Encodings, Other, Leaf
};

class Walk {
public:
    explicit Walk(const NodeTree &tree) : m_tree(tree), m_node(tree.root()) {}

    OasPlace run(const std::vector<std::string> &tokens)
    {
        OasPlace place;
        place.object = QStringLiteral("the document");
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const std::string &t = tokens[i];
            const NodeId node = child(t);
            if (!step(t, node))
                break;
            m_node = node;
            if (m_named) {
                place.object = m_name;
                place.depth = i + 1;
                place.inSchema = m_context == Context::Schema;
                m_named = false;
            }
        }
        QStringList rest;
        for (std::size_t i = place.depth; i < tokens.size(); ++i)
            rest.push_back(text(tokens[i]));
        place.field = rest.join(QLatin1Char('.'));
        return place;
    }

private:
    NodeId child(const std::string &token) const
    {
        if (m_tree.isObject(m_node))
            return m_tree.member(m_node, token);
        if (m_tree.isArray(m_node) && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos
            && token.size() < 10)
            return m_tree.element(m_node, std::stoul(token));
        return kNoNode;
    }

    QString memberText(NodeId object, const char *key) const
    {
        return m_tree.isObject(object) ? text(m_tree.text(m_tree.member(object, key))) : QString();
    }

    void enter(Context context, const QString &name)
    {
        m_context = context;
        m_name = name;
        m_named = true;
    }
    void pass(Context context) { m_context = context; }

    void enterSchema(const QString &name)
    {
        m_schemaName = name;
        enter(Context::Schema, name);
    }

    // Moves through one token; false when the place is no longer an object the walk knows.
    bool step(const std::string &t, NodeId node)
    {
        switch (m_context) {
        case Context::Root:
            if (t == "info") enter(Context::Info, QStringLiteral("info"));
            else if (t == "servers") pass(Context::Servers);
            else if (t == "paths") pass(Context::Paths);
            else if (t == "webhooks") { m_webhooks = true; pass(Context::Paths); }
            else if (t == "components") pass(Context::Components);
            else if (t == "securityDefinitions") { m_group = "securitySchemes"; pass(Context::ComponentGroup); }
            else if (t == "definitions") { m_group = "schemas"; pass(Context::ComponentGroup); }
            else if (t == "parameters") { m_group = "parameters"; pass(Context::ComponentGroup); }
            else if (t == "responses") { m_group = "responses"; pass(Context::ComponentGroup); }
            else if (t == "tags") pass(Context::Tags);
            else return false;
            return true;
        case Context::Info:
            if (t == "license" || t == "contact") { enter(Context::Leaf, text(t)); return true; }
            return false;
        case Context::Servers: {
            const QString url = memberText(node, "url");
            enter(Context::Server, url.isEmpty() ? QStringLiteral("server %1").arg(text(t)) : QStringLiteral("server '%1'").arg(url));
            return true;
        }
        case Context::Server:
            if (t == "variables") { pass(Context::Variables); return true; }
            return false;
        case Context::Variables:
            enter(Context::Leaf, QStringLiteral("server variable ") + quoted(t));
            return true;
        case Context::Paths:
            m_path = text(t);
            enter(Context::PathItem, (m_webhooks ? QStringLiteral("webhook ") : QStringLiteral("path item ")) + quoted(t));
            return true;
        case Context::PathItem:
            if (isMethod(t)) { enterOperation(QString::fromLatin1(t.c_str()).toUpper()); return true; }
            if (t == "additionalOperations") { pass(Context::AdditionalOperations); return true; }
            if (t == "parameters") { pass(Context::Parameters); return true; }
            if (t == "servers") { pass(Context::Servers); return true; }
            return false;
        case Context::AdditionalOperations:
            enterOperation(text(t));
            return true;
        case Context::Operation:
            if (t == "parameters") { pass(Context::Parameters); return true; }
            if (t == "responses") { pass(Context::Responses); return true; }
            if (t == "servers") { pass(Context::Servers); return true; }
            if (t == "callbacks") { pass(Context::Callbacks); return true; }
            if (t == "requestBody") { enter(Context::Response, QStringLiteral("request body of ") + m_operation); return true; }
            return false;
        case Context::Parameters: {
            const QString name = memberText(node, "name");
            enter(Context::Parameter, name.isEmpty() ? QStringLiteral("parameter %1").arg(text(t)) : QStringLiteral("parameter '%1'").arg(name));
            return true;
        }
        case Context::Parameter:
            if (t == "schema" || t == "items") { enterSchema(QStringLiteral("schema of ") + m_name); return true; }
            if (t == "content") { pass(Context::Content); return true; }
            if (t == "examples") { pass(Context::Examples); return true; }
            return false;
        case Context::Responses:
            enter(Context::Response, QStringLiteral("response ") + text(t));
            return true;
        case Context::Response:  // also request bodies: both hold `content`
            if (t == "content") { pass(Context::Content); return true; }
            if (t == "headers") { pass(Context::Headers); return true; }
            if (t == "schema") { enterSchema(QStringLiteral("schema of ") + m_name); return true; }
            return false;
        case Context::Content:
            enter(Context::MediaType, QStringLiteral("media type ") + quoted(t));
            return true;
        case Context::MediaType:
            if (t == "schema" || t == "itemSchema") { enterSchema(QStringLiteral("schema of ") + m_name); return true; }
            if (t == "examples") { pass(Context::Examples); return true; }
            if (t == "encoding") { pass(Context::Encodings); return true; }
            return false;
        case Context::Encodings:
            enter(Context::Leaf, QStringLiteral("encoding ") + quoted(t));
            return true;
        case Context::Headers:
            enter(Context::Header, QStringLiteral("header ") + quoted(t));
            return true;
        case Context::Header:
            if (t == "schema" || t == "items") { enterSchema(QStringLiteral("schema of ") + m_name); return true; }
            if (t == "content") { pass(Context::Content); return true; }
            return false;
        case Context::Components:
            m_group = t;
            pass(Context::ComponentGroup);
            return true;
        case Context::ComponentGroup:
            return enterComponent(t);
        case Context::Schema:
            return stepSchema(t);
        case Context::SecurityScheme:
            if (t == "flows") { pass(Context::Flows); return true; }
            return false;
        case Context::Flows:
            enter(Context::Leaf, QStringLiteral("%1 flow of %2").arg(text(t), m_name));
            return true;
        case Context::Tags: {
            const QString name = memberText(node, "name");
            enter(Context::Leaf, name.isEmpty() ? QStringLiteral("tag %1").arg(text(t)) : QStringLiteral("tag '%1'").arg(name));
            return true;
        }
        case Context::Examples:
            enter(Context::Leaf, QStringLiteral("example ") + quoted(t));
            return true;
        case Context::Callbacks:
            enter(Context::Callback, QStringLiteral("callback ") + quoted(t));
            return true;
        case Context::Callback:
            enter(Context::PathItem, QStringLiteral("path item %1 of %2").arg(quoted(t), m_name));
            m_path = text(t);
            return true;
        case Context::SecuritySchemes:
        case Context::Other:
        case Context::Leaf:
            return false;
        }
        return false;
    }

    void enterOperation(const QString &method)
    {
        m_operation = QStringLiteral("operation %1 %2").arg(method, m_path);
        enter(Context::Operation, m_operation);
    }

    bool enterComponent(const std::string &t)
    {
        const QString name = quoted(t);
        if (m_group == "schemas") enterSchema(QStringLiteral("schema ") + name);
        else if (m_group == "securitySchemes") enter(Context::SecurityScheme, QStringLiteral("security scheme ") + name);
        else if (m_group == "parameters") enter(Context::Parameter, QStringLiteral("parameter ") + name);
        else if (m_group == "responses") enter(Context::Response, QStringLiteral("response ") + name);
        else if (m_group == "requestBodies") enter(Context::Response, QStringLiteral("request body ") + name);
        else if (m_group == "headers") enter(Context::Header, QStringLiteral("header ") + name);
        else if (m_group == "examples") enter(Context::Leaf, QStringLiteral("example ") + name);
        else if (m_group == "links") enter(Context::Leaf, QStringLiteral("link ") + name);
        else if (m_group == "callbacks") enter(Context::Callback, QStringLiteral("callback ") + name);
        else if (m_group == "pathItems") { m_path = text(t); enter(Context::PathItem, QStringLiteral("path item ") + name); }
        else if (m_group == "mediaTypes") enter(Context::MediaType, QStringLiteral("media type ") + name);
        else return false;
        return true;
    }

    // Inside a schema, properties and items extend its name: "schema 'Pet/id'".
    bool stepSchema(const std::string &t)
    {
        if (m_expectName) {
            m_expectName = false;
            extendSchemaName(m_schemaKeyword + QLatin1Char('/') + text(t));
            return true;
        }
        static const char *const withNames[] = {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas",
                                                "allOf", "anyOf", "oneOf", "prefixItems"};
        static const char *const direct[] = {"items", "additionalProperties", "not", "if", "then", "else", "contains",
                                             "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems"};
        for (const char *k : withNames) {
            if (t == k) {
                // properties/id reads as "/id"; every other keyword keeps its name: "/allOf/0".
                m_schemaKeyword = t == "properties" ? QString() : QLatin1Char('/') + text(t);
                m_expectName = true;
                return true;
            }
        }
        for (const char *k : direct) {
            if (t == k) {
                extendSchemaName(QLatin1Char('/') + text(t));
                return true;
            }
        }
        return false;
    }

    void extendSchemaName(const QString &suffix)
    {
        // "schema 'Pet'" + "/id" -> "schema 'Pet/id'"; "schema of parameter 'x'" + "/id" -> "schema of parameter 'x' at /id"
        QString name = m_schemaName;
        if (name.startsWith(QLatin1String("schema '")) && name.endsWith(QLatin1Char('\'')))
            name.insert(name.size() - 1, suffix);
        else
            name += (name.contains(QLatin1String(" at /")) ? QString() : QStringLiteral(" at ")) + suffix;
        enterSchema(name);
    }

private:
    const NodeTree &m_tree;
    NodeId m_node;
    Context m_context = Context::Root;
    QString m_name;
    bool m_named = false;
    bool m_webhooks = false;
    std::string m_group;
    QString m_path;
    QString m_operation;
    QString m_schemaName;
    QString m_schemaKeyword;  // the keyword whose name or index comes next
    bool m_expectName = false;
};

} // namespace

QString OasPlace::subject() const
{
    return field.isEmpty() ? object : QStringLiteral("`%1` of %2").arg(field, object);
}

OasPlace oasPlace(const NodeTree &tree, const std::vector<std::string> &tokens)
{
    return Walk(tree).run(tokens);
}

} // namespace portolan
