// Sign in: the key pair is checked with one ListSecrets call and kept in sessionStorage for this tab only.
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { errorOf, secretsManager } from "../aws";
import { field, form, h, run, statusLine } from "../dom";
import { signIn, signOut } from "../session";

// Errors that mean the key itself was refused; any other answer (AccessDeniedException included) proves it signs.
const REFUSED = new Set(["UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationTokenException", "ExpiredTokenException", "NetworkError"]);

export function signInView(root: HTMLElement): void {
  const accessKeyId = h("input", { name: "accessKeyId", required: true, autocomplete: "username", spellcheck: "false", autocapitalize: "off" });
  const secretAccessKey = h("input", { name: "secretAccessKey", type: "password", required: true, autocomplete: "current-password" });
  const sessionToken = h("input", { name: "sessionToken", type: "password", autocomplete: "off" });
  const region = h("input", { name: "region", required: true, value: "us-east-1", pattern: "[a-z]{2}(-[a-z]+)+-\\d+", spellcheck: "false" });
  const status = statusLine();

  const submit = (signInForm: HTMLFormElement) =>
    run(status, signInForm, async () => {
      signIn({
        accessKeyId: accessKeyId.value.trim(),
        secretAccessKey: secretAccessKey.value,
        region: region.value.trim(),
        ...(sessionToken.value && { sessionToken: sessionToken.value }),
      });
      try {
        await secretsManager().send(new ListSecretsCommand({ MaxResults: 1 }));
      } catch (error) {
        if (REFUSED.has(errorOf(error).code)) {
          signOut();
          throw error;
        }
      }
      document.dispatchEvent(new Event("console:signed-in"));
    });

  root.append(
    h(
      "div",
      { class: "sign-in card" },
      h("h1", {}, "Sign in"),
      h(
        "p",
        { class: "lede" },
        "Every action is an ordinary API call signed in this browser with your access key, judged by its policy. ",
        "The key stays in this tab's session storage and is forgotten when the tab closes.",
      ),
      form(
        { "aria-label": "Sign in" },
        submit,
        field("Access key ID", accessKeyId),
        field("Secret access key", secretAccessKey),
        field("Session token (optional)", sessionToken),
        field("Region", region, "The region your requests are signed for, e.g. us-east-1."),
        h("button", { type: "submit" }, "Sign in"),
        status,
      ),
    ),
  );
  accessKeyId.focus();
}
