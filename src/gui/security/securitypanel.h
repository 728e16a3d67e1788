#pragma once

#include <apimodel.h>

#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTableView;

namespace portolan::gui {

class AuthServices;
class SchemeSetupDialog;
class SchemeStateModel;

// The security schemes of one API with the state of their credentials and a
// button to set each up (or forget it). Model + view; the forms live in
// SchemeSetupDialog.
class SecurityPanel : public QWidget {
    Q_OBJECT
public:
    // `services` is not owned and must outlive the panel.
    explicit SecurityPanel(AuthServices *services, QWidget *parent = nullptr);

    void setDocument(std::shared_ptr<const ApiDocument> document);
    // Opens the setup dialog of a scheme (non-modal); null when the document has no such scheme.
    SchemeSetupDialog *setUp(const QString &schemeName);
    // Removes the scheme's stored credentials (and their keychain entries).
    void forget(const QString &schemeName);

    SchemeStateModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLabel *messageLabel() const { return m_message; }

Q_SIGNALS:
    void credentialsChanged();

private:
    QString selectedScheme() const;
    void updateButtons();
    void showMessage(const QString &text, bool error);

    AuthServices *m_services;  // not owned
    std::shared_ptr<const ApiDocument> m_document;
    SchemeStateModel *m_model;  // owned by this
    QTableView *m_view;         // owned by this, like the widgets below
    QPushButton *m_setUp;
    QPushButton *m_forget;
    QLabel *m_message;
    QPointer<SchemeSetupDialog> m_dialog;
};

} // namespace portolan::gui
