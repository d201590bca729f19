// The secrets list: one ListSecrets page at a time (never all of them), with its filters, sort and page size;
// Next follows NextToken, Previous returns to a token already seen. The query is kept in memory, not the URL.
import { type Filter, type FilterNameStringType, ListSecretsCommand, type ListSecretsRequest, type SecretListEntry } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { field, form, formatDate, h, run, select, statusLine, table } from "../dom";

const FILTER_KEYS: [FilterNameStringType, string][] = [
  ["all", "All fields"],
  ["name", "Name"],
  ["description", "Description"],
  ["tag-key", "Tag key"],
  ["tag-value", "Tag value"],
  ["primary-region", "Primary region"],
  ["owning-service", "Owning service"],
];

interface Query {
  filters: Filter[];
  includePlannedDeletion: boolean;
  sortBy: string;
  sortOrder: string;
  pageSize: number;
  /** tokens[i] opens page i; tokens[0] is the first page. */
  tokens: (string | undefined)[];
  page: number;
}

let query: Query = { filters: [], includePlannedDeletion: false, sortBy: "", sortOrder: "", pageSize: 25, tokens: [undefined], page: 0 };

export function listView(root: HTMLElement): void {
  const status = statusLine();
  const results = h("div", { class: "results", "aria-live": "polite", "aria-busy": "false" });
  const filterRows = h("div", { class: "filter-rows" });
  const addFilterRow = (filter?: Filter) => filterRows.append(filterRow(filter));
  for (const filter of query.filters) addFilterRow(filter);
  if (!query.filters.length) addFilterRow();

  const include = h("input", { type: "checkbox", name: "includePlannedDeletion", checked: query.includePlannedDeletion });
  const sortBy = select("sortBy", [["", "Default (created date)"], ["name", "Name"], ["created-date", "Created date"], ["last-changed-date", "Last changed date"], ["last-accessed-date", "Last accessed date"]], query.sortBy);
  const sortOrder = select("sortOrder", [["", "Default (descending)"], ["asc", "Ascending"], ["desc", "Descending"]], query.sortOrder);
  const pageSize = select("pageSize", ["10", "25", "50", "100"].map((n) => [n, n]), String(query.pageSize));

  let latest = 0;
  const load = async () => {
    // A newer search or page may be asked for before this answer arrives: only the last one asked for renders.
    const generation = ++latest;
    results.setAttribute("aria-busy", "true");
    const request: ListSecretsRequest = {
      MaxResults: query.pageSize,
      NextToken: query.tokens[query.page],
      ...(query.filters.length && { Filters: query.filters }),
      ...(query.includePlannedDeletion && { IncludePlannedDeletion: true }),
      ...(query.sortBy && { SortBy: query.sortBy as ListSecretsRequest["SortBy"] }),
      ...(query.sortOrder && { SortOrder: query.sortOrder as ListSecretsRequest["SortOrder"] }),
    };
    const page = await run(status, null, () => secretsManager().send(new ListSecretsCommand(request)));
    if (generation !== latest) return;
    results.setAttribute("aria-busy", "false");
    if (!page) return results.replaceChildren();
    query.tokens[query.page + 1] = page.NextToken;
    query.tokens.length = query.page + 2;
    results.replaceChildren(resultsTable(page.SecretList ?? []), pager(Boolean(page.NextToken)));
  };

  const pager = (hasNext: boolean) =>
    h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      h("button", { type: "button", class: "secondary", disabled: query.page === 0, onclick: () => (query.page--, void load()) }, "← Previous"),
      h("span", {}, `Page ${query.page + 1}`),
      h("button", { type: "button", class: "secondary", disabled: !hasNext, onclick: () => (query.page++, void load()) }, "Next →"),
    );

  const apply = () => {
    query = {
      filters: [...filterRows.querySelectorAll<HTMLElement>(".filter-row")].flatMap(readFilter),
      includePlannedDeletion: include.checked,
      sortBy: sortBy.value,
      sortOrder: sortOrder.value,
      pageSize: Number(pageSize.value),
      tokens: [undefined],
      page: 0,
    };
    void load();
  };

  root.append(
    h("div", { class: "page-head" }, h("h1", {}, "Secrets"), h("a", { class: "button", href: "#/create" }, "Create secret")),
    form(
      { class: "card filters", "aria-label": "Filter and sort secrets", role: "search" },
      apply,
      filterRows,
      h("button", { type: "button", class: "link", onclick: () => addFilterRow() }, "+ Add filter"),
      h("div", { class: "row" }, field("Sort by", sortBy), field("Order", sortOrder), field("Per page", pageSize), field("Include secrets scheduled for deletion", include)),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Search")),
    ),
    status,
    results,
  );
  void load();
}

function filterRow(filter?: Filter): HTMLElement {
  const key = select("filterKey", FILTER_KEYS, filter?.Key ?? "name");
  const values = h("input", { name: "filterValues", value: filter?.Values?.join(", ") ?? "", spellcheck: "false", autocomplete: "off" });
  const row = h(
    "div",
    { class: "filter-row row" },
    field("Filter on", key),
    field("Values", values, "Comma-separated; a value matches as a prefix, !value excludes."),
  );
  row.append(h("button", { type: "button", class: "secondary small remove", "aria-label": "Remove this filter", onclick: () => row.remove() }, "Remove"));
  return row;
}

function readFilter(row: HTMLElement): Filter[] {
  const key = row.querySelector<HTMLSelectElement>("select")!.value as FilterNameStringType;
  const values = row.querySelector<HTMLInputElement>("input")!.value.split(",").map((value) => value.trim()).filter(Boolean);
  return values.length ? [{ Key: key, Values: values }] : [];
}

function resultsTable(secrets: SecretListEntry[]): HTMLElement {
  if (!secrets.length) return h("p", { class: "empty card" }, "No secrets match.");
  return table(
    ["Name", "Description", "Last changed", "Last accessed", "Rotation", "State"],
    secrets.map((secret) => [
      h("a", { href: `#/secret/${encodeURIComponent(secret.ARN ?? secret.Name ?? "")}` }, secret.Name ?? ""),
      secret.Description ?? "",
      formatDate(secret.LastChangedDate),
      formatDate(secret.LastAccessedDate),
      secret.RotationEnabled ? h("span", { class: "badge ok" }, "Enabled") : h("span", { class: "muted" }, "Off"),
      secret.DeletedDate ? h("span", { class: "badge warn", title: `Deleted ${formatDate(secret.DeletedDate)}` }, "Scheduled for deletion") : h("span", { class: "badge" }, "Active"),
    ]),
    "Secrets",
  );
}
