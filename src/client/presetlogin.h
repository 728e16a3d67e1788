#pragma once

#include "loginplan.h"
#include "providerpresets.h"

#include <schemeoverrides.h>

namespace portolan::client {

// The login defaults a provider preset left with the user's scheme of this name; empty when none.
auth::LoginDefaults loginDefaultsFor(const SchemeOverrides &overrides, const QString &schemeName);

// A preset's suggestions under what the user gave (typed or remembered): the
// PKCE method and redirect URI when the user chose none (`pkceGiven` says
// whether the PKCE method was chosen), and the client authentication the
// provider expects when a client secret comes without a method.
void applyLoginDefaults(const auth::LoginDefaults &defaults, LoginInput *input, bool pkceGiven);

} // namespace portolan::client
