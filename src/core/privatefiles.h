#pragma once

#include <QString>

class QFileDevice;

namespace portolan {

// The application and organization names every Portolan program runs under:
// they name the data, configuration and cache folders, so `portolan` and
// `portolan-cli` share credentials, history, environments and API state.
// Call before anything reads those folders.
void setApplicationNames();

// What Portolan keeps under its data and configuration folders (history,
// environments, credential metadata, API state, settings) is the user's
// alone: folders 0700, files 0600, whatever the umask.

// Creates `directory` with its parents and makes it owner-only, together with
// every folder from the application's data or configuration folder down to it.
bool makePrivateDirectory(const QString &directory, QString *error = nullptr);
// Makes an open file (a QSaveFile before commit) readable and writable by the owner only.
bool makeOwnerOnly(QFileDevice &file);
// The same for a file by name, creating it empty when absent (so that a
// writer that keeps existing permissions, like QSettings, keeps these).
bool makeOwnerOnly(const QString &path);

} // namespace portolan
