#pragma once

#include <apimodel.h>
#include <schemeoverrides.h>

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QToolButton;

namespace portolan::client {
class ClientCore;
}

namespace portolan::gui {

class SchemeEditorDialog;
class SchemeSetupDialog;
class SchemeStateModel;

// The security schemes of one API with the state of their credentials and a
// button to set each up (or forget it). Model + view; the forms live in
// SchemeSetupDialog. The user's own schemes and requirements (SchemeOverrides,
// the same file `portolan-cli scheme` reads) are added, edited and removed
// here through SchemeEditorDialog; a document that declares no scheme gets
// the provider presets and "Add scheme…" offered in the panel itself.
class SecurityPanel : public QWidget {
    Q_OBJECT
public:
    // `core` is not owned and must outlive the panel.
    explicit SecurityPanel(client::ClientCore *core, QWidget *parent = nullptr);

    // `overrides`: the user's schemes and requirements `document` was loaded with, stored for `source`.
    void setDocument(std::shared_ptr<const ApiDocument> document, const QUrl &source = {},
                     const SchemeOverrides &overrides = {});
    // The operation shown (null: none), for a requirement of that operation alone.
    void setCurrentOperation(const Operation *operation) { m_operation = operation; }

    // Opens the editor for a new scheme, `presetId` chosen (non-modal); saved when the user accepts.
    SchemeEditorDialog *addScheme(const QString &presetId = QString());
    // Opens the editor for a scheme; the user's version replaces the document's. Null when there is no such scheme.
    SchemeEditorDialog *editScheme(const QString &schemeName);
    // Removes the user's scheme, or the user's version of the document's (back to the document's).
    bool removeScheme(const QString &schemeName);
    // The whole API (or the current operation) requires the scheme; false (and says why) when refused.
    bool requireScheme(const QString &schemeName, bool forOperation);
    // Removes the user's requirement of the whole API (or of the current operation).
    bool removeRequirement(bool forOperation);
    // Opens the setup dialog of a scheme (non-modal); null when the document has no such scheme.
    SchemeSetupDialog *setUp(const QString &schemeName);
    // Removes the scheme's stored credentials (and their keychain entries).
    void forget(const QString &schemeName);

    // The credential chosen per scheme name (credential id) where the user picked
    // one of several; other schemes use the auth engine's default, the most recent.
    QHash<QString, QString> chosenCredentials() const { return m_chosen; }
    void setChosenCredentials(const QHash<QString, QString> &chosen);

    SchemeStateModel *model() const { return m_model; }
    QComboBox *credentialChoice() const { return m_credential; }
    QTableView *view() const { return m_view; }
    QLabel *messageLabel() const { return m_message; }
    // The first-run offer of a document that declares no scheme, and its preset picker.
    QWidget *offer() const { return m_offer; }
    QComboBox *offerPresets() const { return m_offerPresets; }
    QPushButton *removeButton() const { return m_remove; }
    QToolButton *requirementButton() const { return m_require; }

Q_SIGNALS:
    void credentialsChanged();
    void chosenCredentialsChanged();
    // The user's schemes or requirements changed and are saved: load the document again with them.
    void overridesChanged();

protected:
    void changeEvent(QEvent *event) override;  // message and link colours follow the theme

private:
    QWidget *buildOffer();
    void updateOffer();
    void updateOfferDocumentation();
    void fillRequirementMenu();
    void openEditor(SchemeEditorDialog *editor, bool adding);
    // Applies `change` to a copy of the overrides and saves it; on success announces `done`, else says why (and in `refusal`).
    bool commit(const std::function<bool(SchemeOverrides *, QString *)> &change, const QString &done, QString *refusal = nullptr);
    void applyMessageColor();
    QString selectedScheme() const;
    void updateButtons();
    // Drops choices whose credential is gone and fills the choice for the selected scheme.
    void updateCredentialChoice();
    void showMessage(const QString &text, bool error);

    client::ClientCore *m_core;  // not owned
    std::shared_ptr<const ApiDocument> m_document;
    SchemeStateModel *m_model;  // owned by this
    QTableView *m_view;         // owned by this, like the widgets below
    QPushButton *m_setUp;
    QPushButton *m_forget;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QToolButton *m_require;
    QWidget *m_offer;
    QComboBox *m_offerPresets;
    QLabel *m_offerDocumentation;
    QComboBox *m_credential;  // shown when the selected scheme has several credentials
    QLabel *m_message;
    bool m_messageIsError = false;
    QPointer<SchemeSetupDialog> m_dialog;
    QPointer<SchemeEditorDialog> m_editor;
    QUrl m_source;
    SchemeOverrides m_overrides;
    const Operation *m_operation = nullptr;  // points into m_document
    QString m_selectAfterReload;
    QHash<QString, QString> m_chosen;  // scheme name -> credential id
};

} // namespace portolan::gui
