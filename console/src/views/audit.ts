// The audit trail: CloudTrail LookupEvents at the same endpoint, with its lookup attribute, time range and
// paging (NextToken); each event's CloudTrail record can be expanded.
import { type Event as TrailEvent, type LookupAttributeKey, LookupEventsCommand, type LookupEventsRequest } from "@aws-sdk/client-cloudtrail";
import { cloudTrail } from "../aws";
import { field, form, formatDate, h, run, select, statusLine, table } from "../dom";

const ATTRIBUTE_KEYS: LookupAttributeKey[] = ["EventName", "ResourceName", "Username", "AccessKeyId", "ReadOnly", "ResourceType", "EventSource", "EventId"];

/** The audit trail; `resourceName` (from #/audit/<ARN>, a secret page's link) preselects that secret's events. */
export function auditView(root: HTMLElement, resourceName: string): void {
  const status = statusLine();
  const results = h("div", { class: "results", "aria-live": "polite", "aria-busy": "false" });
  const attributeKey = select("attributeKey", [["", "Any"], ...ATTRIBUTE_KEYS.map((key): [string, string] => [key, key])], resourceName ? "ResourceName" : "");
  const attributeValue = h("input", { name: "attributeValue", value: resourceName, spellcheck: "false", autocomplete: "off" });
  const start = h("input", { name: "startTime", type: "datetime-local", step: 1 });
  const end = h("input", { name: "endTime", type: "datetime-local", step: 1 });
  const pageSize = select("maxResults", ["10", "25", "50"].map((n) => [n, n]), "25");
  let request: LookupEventsRequest = {};
  let tokens: (string | undefined)[] = [undefined];
  let page = 0;
  let latest = 0;

  const load = async () => {
    // A newer search or page may be asked for before this answer arrives: only the last one asked for renders.
    const generation = ++latest;
    results.setAttribute("aria-busy", "true");
    const answer = await run(status, null, () => cloudTrail().send(new LookupEventsCommand({ ...request, NextToken: tokens[page] })));
    if (generation !== latest) return;
    results.setAttribute("aria-busy", "false");
    if (!answer) return results.replaceChildren();
    tokens[page + 1] = answer.NextToken;
    tokens.length = page + 2;
    results.replaceChildren(
      eventsTable(answer.Events ?? []),
      h(
        "nav",
        { class: "pager", "aria-label": "Pages" },
        h("button", { type: "button", class: "secondary", disabled: page === 0, onclick: () => (page--, void load()) }, "← Previous"),
        h("span", {}, `Page ${page + 1}`),
        h("button", { type: "button", class: "secondary", disabled: !answer.NextToken, onclick: () => (page++, void load()) }, "Next →"),
      ),
    );
  };
  const search = () => {
    request = {
      MaxResults: Number(pageSize.value),
      ...(attributeKey.value && { LookupAttributes: [{ AttributeKey: attributeKey.value as LookupAttributeKey, AttributeValue: attributeValue.value }] }),
      ...(start.value && { StartTime: new Date(start.value) }),
      ...(end.value && { EndTime: new Date(end.value) }),
    };
    tokens = [undefined];
    page = 0;
    void load();
  };

  root.append(
    h("div", { class: "page-head" }, h("h1", {}, "Audit trail")),
    form(
      { class: "card filters", role: "search", "aria-label": "Look up events" },
      search,
      h("div", { class: "row" }, field("Lookup attribute", attributeKey), field("Value", attributeValue), field("Per page", pageSize)),
      h("div", { class: "row" }, field("From (local time)", start), field("To (local time)", end)),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Look up events")),
    ),
    status,
    results,
  );
  search();
}

function eventsTable(events: TrailEvent[]): HTMLElement {
  if (!events.length) return h("p", { class: "empty card" }, "No events match.");
  return table(
    ["Time", "Event", "Caller", "Access key", "Outcome", "Resources", "Record"],
    events.map((event) => {
      const record = parse(event.CloudTrailEvent);
      return [
        formatDate(event.EventTime),
        h("strong", {}, event.EventName ?? ""),
        // The service's own events (rotation steps, version purges) have no user: the service invoked them.
        event.Username ?? record.userIdentity?.invokedBy ?? "",
        event.AccessKeyId ? h("code", {}, event.AccessKeyId) : "",
        record.errorCode ? h("span", { class: "badge error", title: record.errorMessage }, record.errorCode) : record.errorMessage ? h("span", { class: "badge error" }, "Failed") : h("span", { class: "badge ok" }, "Success"),
        (event.Resources ?? []).map((resource) => resource.ResourceName).join(", "),
        event.CloudTrailEvent ? h("details", {}, h("summary", {}, "Show"), h("pre", { class: "record" }, pretty(event.CloudTrailEvent))) : "",
      ];
    }),
    "Events",
  );
}

interface TrailRecord {
  userIdentity?: { invokedBy?: string };
  errorCode?: string;
  errorMessage?: string;
}

function parse(record: string | undefined): TrailRecord {
  try {
    return (JSON.parse(record ?? "{}") as TrailRecord | null) ?? {};
  } catch {
    return {};
  }
}

function pretty(record: string): string {
  try {
    return JSON.stringify(JSON.parse(record), null, 2);
  } catch {
    return record;
  }
}
