#pragma once

#include "exchange.h"
#include "historystore.h"

namespace portolan::gui {

// An exchange from the API's history, rebuilt from its redacted HAR entries
// (one per hop) so the inspection panes show it like a fresh one. Bodies are
// those the history kept (large ones are cut); secrets stay redacted.
http::Exchange exchangeFromHistory(const http::HistoryEntry &entry);

} // namespace portolan::gui
