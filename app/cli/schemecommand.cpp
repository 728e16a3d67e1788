// portolan-cli scheme: the user's own security schemes for an API whose
// document lacks them or gets them wrong (SchemeOverrides), from a provider
// preset or field by field as in the document's Security Scheme Object.
#include "clicommand.h"

#include "providerpresets.h"

#include <documentloader.h>
#include <schemeoverrides.h>

#include <QCoreApplication>
#include <QJsonDocument>

using namespace portolan;
using namespace portolan::auth;

namespace cli {

namespace {

const char kSchemeHelp[] =
    "usage: portolan-cli scheme list SOURCE\n"
    "       portolan-cli scheme presets\n"
    "       portolan-cli scheme add SOURCE NAME (--preset ID [--set PLACEHOLDER=VALUE]... | FIELDS) [--require]\n"
    "       portolan-cli scheme edit SOURCE NAME FIELDS\n"
    "       portolan-cli scheme remove SOURCE NAME\n"
    "       portolan-cli scheme require SOURCE NAME [--scope S]... [--operation OPERATION]\n"
    "       portolan-cli scheme unrequire SOURCE [--operation OPERATION]\n"
    "\n"
    "Your own security schemes for the API of SOURCE, kept with the API's state (never a\n"
    "secret) and applied to the document wherever Portolan loads it. 'edit' starts from the\n"
    "scheme as it is (the document's or yours) and changes the given fields; the result is\n"
    "yours. 'require' sets which scheme the whole API (or one operation: its operationId or\n"
    "\"GET /path\") requires, for documents that do not say.\n"
    "\n"
    "FIELDS (those of the Security Scheme Object):\n"
    "  --type T                       apiKey, http, oauth2, openIdConnect, mutualTLS\n"
    "  --description TEXT\n"
    "  --in header|query|cookie --param-name NAME       apiKey\n"
    "  --http-scheme S [--bearer-format F]              http: basic, bearer, digest\n"
    "  --openid-connect-url URL                         openIdConnect\n"
    "  --flow KIND                    oauth2: the flow the next options describe (created when\n"
    "                                 missing): authorizationCode, implicit, password,\n"
    "                                 clientCredentials, deviceAuthorization\n"
    "  --authorization-url URL  --token-url URL  --refresh-url URL\n"
    "  --device-authorization-url URL\n"
    "  --scope NAME[=DESCRIPTION]     a scope of the flow (repeatable)\n"
    "  --remove-flow KIND\n"
    "  --json OBJECT                  the whole Security Scheme Object as JSON\n"
    "\n"
    "Login defaults kept with your scheme (a preset fills them; 'login' options override them):\n"
    "  --client-auth M  --pkce S256|plain|none  --redirect-uri URI\n"
    "  --discovery-url URL  --revocation-url URL  --introspection-url URL\n";

struct FlowEdit {
    OAuthFlowKind kind;
    QHash<QString, QString> urls;  // field name -> value
    QList<std::pair<QString, QString>> scopes;
};

struct SchemeOptions {
    QString action, source, name, preset, operation;
    QHash<QString, QString> placeholders;
    QHash<QString, QString> fields;  // top-level Security Scheme Object fields
    QJsonObject loginDefaults;       // LoginDefaults members to change
    QList<FlowEdit> flows;
    QList<OAuthFlowKind> removedFlows;
    QStringList scopes;  // require
    QString json;
    bool require = false;
};

bool flowKindFromName(const QString &name, OAuthFlowKind *kind)
{
    for (OAuthFlowKind candidate : {OAuthFlowKind::AuthorizationCode, OAuthFlowKind::Implicit, OAuthFlowKind::Password,
                                    OAuthFlowKind::ClientCredentials, OAuthFlowKind::DeviceAuthorization}) {
        if (name.compare(oauthFlowName(candidate), Qt::CaseInsensitive) == 0) {
            *kind = candidate;
            return true;
        }
    }
    return false;
}

bool parseArguments(const QStringList &args, SchemeOptions &o, QString *error)
{
    QStringList positional;
    ArgumentReader reader(args);
    // Option -> Security Scheme Object field.
    static const QHash<QString, QString> fieldOptions = {
        {QStringLiteral("--type"), QStringLiteral("type")}, {QStringLiteral("--description"), QStringLiteral("description")},
        {QStringLiteral("--in"), QStringLiteral("in")}, {QStringLiteral("--param-name"), QStringLiteral("name")},
        {QStringLiteral("--http-scheme"), QStringLiteral("scheme")}, {QStringLiteral("--bearer-format"), QStringLiteral("bearerFormat")},
        {QStringLiteral("--openid-connect-url"), QStringLiteral("openIdConnectUrl")}};
    static const QHash<QString, QString> defaultOptions = {
        {QStringLiteral("--client-auth"), QStringLiteral("clientAuthentication")}, {QStringLiteral("--pkce"), QStringLiteral("pkce")},
        {QStringLiteral("--redirect-uri"), QStringLiteral("redirectUri")}, {QStringLiteral("--discovery-url"), QStringLiteral("discoveryUrl")},
        {QStringLiteral("--revocation-url"), QStringLiteral("revocationUrl")},
        {QStringLiteral("--introspection-url"), QStringLiteral("introspectionUrl")}};
    static const QHash<QString, QString> flowOptions = {
        {QStringLiteral("--authorization-url"), QStringLiteral("authorizationUrl")}, {QStringLiteral("--token-url"), QStringLiteral("tokenUrl")},
        {QStringLiteral("--refresh-url"), QStringLiteral("refreshUrl")},
        {QStringLiteral("--device-authorization-url"), QStringLiteral("deviceAuthorizationUrl")}};
    while (!reader.atEnd()) {
        const QString a = reader.next();
        QString value;
        bool ok = true;
        if (fieldOptions.contains(a)) {
            ok = reader.value(&value);
            o.fields.insert(fieldOptions.value(a), value);
        } else if (defaultOptions.contains(a)) {
            ok = reader.value(&value);
            o.loginDefaults.insert(defaultOptions.value(a), value);
        } else if (a == QLatin1String("--scope") && o.action == QLatin1String("require")) {
            ok = reader.append(&o.scopes);
        } else if (flowOptions.contains(a) || a == QLatin1String("--scope")) {
            ok = reader.value(&value);
            if (ok && o.flows.isEmpty()) {
                *error = QStringLiteral("%1 needs a --flow before it").arg(a);
                return false;
            }
            if (ok && a == QLatin1String("--scope")) {
                const qsizetype equals = value.indexOf(QLatin1Char('='));
                o.flows.last().scopes.append({equals < 0 ? value : value.left(equals), equals < 0 ? QString() : value.mid(equals + 1)});
            } else if (ok) {
                o.flows.last().urls.insert(flowOptions.value(a), value);
            }
        } else if (a == QLatin1String("--flow") || a == QLatin1String("--remove-flow")) {
            OAuthFlowKind kind;
            ok = reader.value(&value);
            if (ok && !flowKindFromName(value, &kind)) {
                *error = QStringLiteral("unknown flow '%1'").arg(value);
                return false;
            }
            if (ok && a == QLatin1String("--flow"))
                o.flows.append({kind, {}, {}});
            else if (ok)
                o.removedFlows.append(kind);
        } else if (a == QLatin1String("--set")) {
            ok = reader.value(&value);
            const qsizetype equals = value.indexOf(QLatin1Char('='));
            if (ok && equals <= 0) {
                *error = QStringLiteral("--set '%1' is not PLACEHOLDER=VALUE").arg(value);
                return false;
            }
            o.placeholders.insert(value.left(equals), value.mid(equals + 1));
        } else if (a == QLatin1String("--preset")) ok = reader.value(&o.preset);
        else if (a == QLatin1String("--operation")) ok = reader.value(&o.operation);
        else if (a == QLatin1String("--json")) ok = reader.value(&o.json);
        else if (a == QLatin1String("--require")) o.require = true;
        else if (a.startsWith(QLatin1Char('-'))) {
            *error = QStringLiteral("unknown option '%1'").arg(a);
            return false;
        } else if (o.action.isEmpty()) {
            o.action = a;
        } else {
            positional.append(a);
        }
        if (!ok) {
            *error = reader.error();
            return false;
        }
    }
    static const QStringList actions = {QStringLiteral("list"), QStringLiteral("presets"), QStringLiteral("add"), QStringLiteral("edit"),
                                        QStringLiteral("remove"), QStringLiteral("require"), QStringLiteral("unrequire")};
    if (!actions.contains(o.action)) {
        *error = o.action.isEmpty() ? QStringLiteral("which action: list, presets, add, edit, remove, require or unrequire?")
                                    : QStringLiteral("unknown action '%1'").arg(o.action);
        return false;
    }
    const int wanted = o.action == QLatin1String("presets") ? 0
        : o.action == QLatin1String("list") || o.action == QLatin1String("unrequire") ? 1 : 2;
    if (positional.size() != wanted) {
        *error = wanted == 0 ? QStringLiteral("'presets' takes no SOURCE")
               : wanted == 1 ? QStringLiteral("'%1' needs SOURCE").arg(o.action)
                             : QStringLiteral("'%1' needs SOURCE and NAME").arg(o.action);
        return false;
    }
    o.source = positional.value(0);
    o.name = positional.value(1);
    if (!o.preset.isEmpty() && (o.action != QLatin1String("add") || !o.fields.isEmpty() || !o.flows.isEmpty() || !o.json.isEmpty()
                                || !o.loginDefaults.isEmpty())) {
        *error = QStringLiteral("--preset goes with 'add' alone; change fields afterwards with 'edit'");
        return false;
    }
    return true;
}

// `base` with the options' changes: top-level fields, flows, or the whole object from --json.
bool editedScheme(const SecurityScheme &base, const SchemeOptions &o, SecurityScheme *out, QString *error)
{
    QJsonObject json = securitySchemeToJson(base);
    if (!o.json.isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(o.json.toUtf8(), &parseError);
        if (!document.isObject()) {
            *error = QStringLiteral("--json is not a JSON object: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
            return false;
        }
        json = document.object();
    }
    for (auto it = o.fields.begin(); it != o.fields.end(); ++it)
        json.insert(it.key(), it.value());
    QJsonObject flows = json.value(QLatin1String("flows")).toObject();
    for (const FlowEdit &edit : o.flows) {
        QJsonObject flow = flows.value(oauthFlowName(edit.kind)).toObject();
        for (auto it = edit.urls.begin(); it != edit.urls.end(); ++it)
            flow.insert(it.key(), it.value());
        QJsonObject scopes = flow.value(QLatin1String("scopes")).toObject();
        for (const auto &scope : edit.scopes)
            scopes.insert(scope.first, scope.second);
        flow.insert(QLatin1String("scopes"), scopes);
        flows.insert(oauthFlowName(edit.kind), flow);
    }
    for (OAuthFlowKind kind : o.removedFlows)
        flows.remove(oauthFlowName(kind));
    if (!flows.isEmpty() || json.contains(QLatin1String("flows")))
        json.insert(QLatin1String("flows"), flows);
    if (json.value(QLatin1String("type")).toString() != QLatin1String("oauth2"))
        json.remove(QLatin1String("flows"));
    return securitySchemeFromJson(o.name, json, out, error);
}

QString requirementText(const SecurityRequirement &requirement)
{
    if (requirement.isEmpty())
        return QStringLiteral("none (no authentication)");
    QStringList alternatives;
    for (const SecurityAlternative &alternative : requirement) {
        QStringList uses;
        for (const SchemeUse &use : alternative)
            uses << (use.scopes.isEmpty() ? use.scheme : QStringLiteral("%1 (%2)").arg(use.scheme, use.scopes.join(QLatin1Char(' '))));
        alternatives << (uses.isEmpty() ? QStringLiteral("optional") : uses.join(QLatin1String(" + ")));
    }
    return alternatives.join(QLatin1String(" or "));
}

void printList(const ApiDocument &document, const SchemeOverrides &overrides)
{
    QTextStream &o = out();
    bool documentDeclares = false;
    for (const SecurityScheme &scheme : document.securitySchemes)
        documentDeclares = documentDeclares || !scheme.userDefined;
    if (!documentDeclares)
        o << "The document declares no security schemes.\n";
    for (const SecurityScheme &scheme : document.securitySchemes) {
        o << scheme.name << "  " << securitySchemeTypeName(scheme.type);
        if (scheme.type == SecuritySchemeType::ApiKey)
            o << " " << scheme.in << " " << scheme.parameterName;
        else if (scheme.type == SecuritySchemeType::Http)
            o << " " << scheme.scheme;
        else if (scheme.type == SecuritySchemeType::OpenIdConnect)
            o << " " << scheme.openIdConnectUrl;
        const QString preset = overrides.loginDefaults.value(scheme.name).value(QLatin1String("preset")).toString();
        o << "  (" << (scheme.userDefined ? QStringLiteral("yours") : QStringLiteral("the document's"))
          << (preset.isEmpty() ? QString() : QStringLiteral(", preset ") + preset) << ")\n";
        for (const OAuthFlow &flow : scheme.flows) {
            o << "    " << oauthFlowName(flow.kind) << ":";
            if (!flow.authorizationUrl.isEmpty())
                o << " authorize " << flow.authorizationUrl;
            if (!flow.deviceAuthorizationUrl.isEmpty())
                o << " device " << flow.deviceAuthorizationUrl;
            if (!flow.tokenUrl.isEmpty())
                o << " token " << flow.tokenUrl;
            QStringList scopes;
            for (const auto &scope : flow.scopes)
                scopes << scope.first;
            if (!scopes.isEmpty())
                o << "  scopes: " << scopes.join(QLatin1Char(' '));
            o << "\n";
        }
    }
    if (document.globalSecurity)
        o << "API requirement: " << requirementText(*document.globalSecurity)
          << (document.globalSecurityFromUser ? " (yours)" : " (the document's)") << "\n";
    else
        o << "API requirement: the document does not declare its authentication\n";
    for (auto it = overrides.operationRequirements.begin(); it != overrides.operationRequirements.end(); ++it)
        o << "Operation " << it.key() << ": " << requirementText(it.value()) << " (yours)\n";
}

void printPresets()
{
    const ProviderPresets &presets = ProviderPresets::builtIn();
    for (const ProviderPreset &preset : presets.all()) {
        out() << preset.id << "  " << preset.name << "\n";
        for (const ProviderPreset::Placeholder &placeholder : preset.placeholders)
            out() << "    --set " << placeholder.name << "=…  " << placeholder.description
                  << (placeholder.defaultValue.isEmpty() ? QString() : QStringLiteral(" (default %1)").arg(placeholder.defaultValue)) << "\n";
        for (const QString &quirk : preset.quirks)
            out() << "    handles: " << presets.quirkDescription(quirk) << "\n";
        out() << "    documentation: " << preset.documentation.join(QLatin1String(" ")) << "\n";
    }
}

// The operation named by operationId or "METHOD /path".
const Operation *findOperation(const ApiDocument &document, const QString &name)
{
    for (const Operation &operation : document.operations)
        if (operation.operationId == name || operationKey(operation).compare(name, Qt::CaseInsensitive) == 0)
            return &operation;
    return nullptr;
}

void mergeLoginDefaults(const SchemeOptions &o, SchemeOverrides *overrides)
{
    QJsonObject defaults = overrides->loginDefaults.value(o.name);
    for (auto it = o.loginDefaults.begin(); it != o.loginDefaults.end(); ++it)
        defaults.insert(it.key(), it.value());
    if (!defaults.isEmpty())
        overrides->loginDefaults.insert(o.name, LoginDefaults::fromJson(defaults).toJson());
}

// Applies the action to `overrides`; the message says what changed. UsageError/Failure on refusal.
int change(const ApiDocument &document, const SchemeOptions &o, SchemeOverrides *overrides, QString *message)
{
    const SecurityScheme *current = document.securityScheme(o.name);
    if (o.action == QLatin1String("add")) {
        if (current) {
            *message = QStringLiteral("scheme '%1' exists already (%2): use 'edit'")
                           .arg(o.name, current->userDefined ? QStringLiteral("yours") : QStringLiteral("the document's"));
            return UsageError;
        }
        SecurityScheme scheme;
        if (!o.preset.isEmpty()) {
            const ProviderPreset *preset = ProviderPresets::builtIn().find(o.preset);
            if (!preset) {
                *message = QStringLiteral("no preset '%1' (see 'portolan-cli scheme presets')").arg(o.preset);
                return UsageError;
            }
            LoginDefaults defaults;
            if (!preset->instantiate(o.name, o.placeholders, &scheme, &defaults, message))
                return UsageError;
            overrides->loginDefaults.insert(o.name, defaults.toJson());
        } else if (!editedScheme(SecurityScheme(), o, &scheme, message)) {
            return UsageError;
        }
        overrides->setScheme(scheme);
        mergeLoginDefaults(o, overrides);
        if (o.require)
            overrides->apiRequirement = SecurityRequirement{{SchemeUse{o.name, {}}}};
        *message = QStringLiteral("Added your scheme %1 (%2)%3").arg(o.name, securitySchemeTypeName(scheme.type),
                                                                     o.require ? QStringLiteral(", required by the whole API") : QString());
        return Success;
    }
    if (o.action == QLatin1String("edit")) {
        if (!current) {
            *message = QStringLiteral("no scheme '%1' to edit: use 'add'").arg(o.name);
            return UsageError;
        }
        SecurityScheme scheme;
        if (!editedScheme(*current, o, &scheme, message))
            return UsageError;
        overrides->setScheme(scheme);
        mergeLoginDefaults(o, overrides);
        *message = QStringLiteral("Scheme %1 is now yours as edited").arg(o.name);
        return Success;
    }
    if (o.action == QLatin1String("remove")) {
        if (!overrides->removeScheme(o.name)) {
            *message = current ? QStringLiteral("scheme '%1' is the document's; only yours can be removed").arg(o.name)
                               : QStringLiteral("no scheme '%1'").arg(o.name);
            return UsageError;
        }
        *message = QStringLiteral("Removed your scheme %1").arg(o.name);
        return Success;
    }
    const bool require = o.action == QLatin1String("require");
    if (require && !current) {
        *message = QStringLiteral("no scheme '%1': add it first").arg(o.name);
        return UsageError;
    }
    const SecurityRequirement requirement{{SchemeUse{o.name, o.scopes}}};
    if (o.operation.isEmpty()) {
        if (require)
            overrides->apiRequirement = requirement;
        else
            overrides->apiRequirement.reset();
        *message = require ? QStringLiteral("The whole API now requires %1").arg(requirementText(requirement))
                           : QStringLiteral("Your API requirement is removed");
        return Success;
    }
    const Operation *operation = findOperation(document, o.operation);
    if (!operation) {
        *message = QStringLiteral("no operation '%1' (give its operationId or \"GET /path\")").arg(o.operation);
        return UsageError;
    }
    if (require)
        overrides->operationRequirements.insert(operationKey(*operation), requirement);
    else
        overrides->operationRequirements.remove(operationKey(*operation));
    *message = require ? QStringLiteral("%1 now requires %2").arg(operationKey(*operation), requirementText(requirement))
                       : QStringLiteral("Your requirement for %1 is removed").arg(operationKey(*operation));
    return Success;
}

} // namespace

LoadOptions loadOptionsWithUserSchemes(const QUrl &source)
{
    LoadOptions options;
    QString error;
    if (!SchemeOverrides::load(source, &options.schemeOverrides, &error))
        err() << "portolan-cli: warning: " << error << "\n";
    return options;
}

int runScheme(const QStringList &arguments)
{
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        out() << kSchemeHelp;
        return Success;
    }
    SchemeOptions options;
    QString error;
    if (!parseArguments(arguments, options, &error)) {
        err() << "portolan-cli scheme: " << error << "\n\n" << kSchemeHelp;
        return UsageError;
    }
    if (options.action == QLatin1String("presets")) {
        printPresets();
        return Success;
    }
    const QUrl source = sourceUrlFromUserInput(options.source);
    SchemeOverrides overrides;
    if (!SchemeOverrides::load(source, &overrides, &error)) {
        err() << "portolan-cli scheme: " << error << "\n";
        return Failure;
    }
    LoadOptions loadOptions;
    loadOptions.schemeOverrides = overrides;
    DocumentLoader loader;
    int exitCode = Failure;
    QObject::connect(&loader, &DocumentLoader::finished, [&](const LoadResult &result) {
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
        if (!result.document) {
            QStringList messages;
            for (const Diagnostic &d : result.errors)
                messages << d.message;
            err() << "portolan-cli scheme: cannot load " << options.source << ": " << messages.join(QStringLiteral("; ")) << "\n";
            return;
        }
        if (options.action == QLatin1String("list")) {
            printList(*result.document, overrides);
            exitCode = Success;
            return;
        }
        QString message;
        exitCode = change(*result.document, options, &overrides, &message);
        if (exitCode == Success && !overrides.save(source, &message))
            exitCode = Failure;
        (exitCode == Success ? out() : err()) << (exitCode == Success ? "" : "portolan-cli scheme: ") << message << "\n";
    });
    loader.load(source, loadOptions);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
