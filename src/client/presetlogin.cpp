#include "presetlogin.h"

namespace portolan::client {

auth::LoginDefaults loginDefaultsFor(const SchemeOverrides &overrides, const QString &schemeName)
{
    return auth::LoginDefaults::fromJson(overrides.loginDefaults.value(schemeName));
}

void applyLoginDefaults(const auth::LoginDefaults &defaults, LoginInput *input, bool pkceGiven)
{
    if (!pkceGiven && !defaults.pkce.isEmpty())
        input->pkceMethod = defaults.pkce == QLatin1String("none") ? QString() : defaults.pkce;
    if (input->redirectUri.isEmpty() && !defaults.redirectUri.isEmpty())
        input->redirectUri = defaults.redirectUri.toString();
    // Only the secret methods: without a secret the plan's own rule (none, or private_key_jwt with a key) stands.
    const bool secretMethod = defaults.clientAuthentication == QLatin1String("client_secret_basic")
        || defaults.clientAuthentication == QLatin1String("client_secret_post");
    if (input->authMethod.isEmpty() && !input->clientSecret.isEmpty() && secretMethod)
        input->authMethod = defaults.clientAuthentication;
}

} // namespace portolan::client
