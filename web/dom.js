// Builds DOM nodes. Text always goes in through textContent / createTextNode, never through
// innerHTML, so user-supplied strings (usernames, redirect URIs, user agents) stay text.

const SVG_NS = "http://www.w3.org/2000/svg";

// h("a", {href: "#/", class: "x"}, "text", childNode, [more, children])
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "style" || name.startsWith("on")) throw new Error(`refusing attribute ${name}`); // strict CSP
    if (name === "text") element.textContent = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
}

// "2026-08-22T10:00:00.123456Z" → <time datetime=…>2026-08-22 10:00 UTC</time>
export function time(value, { seconds = false } = {}) {
  if (!value) return h("span", { class: "muted" }, "—");
  const shown = value.slice(0, 10) + " " + value.slice(11, seconds ? 19 : 16);
  return h("time", { datetime: value, title: value }, shown);
}

export function number(value) {
  return new Intl.NumberFormat("en").format(value ?? 0);
}
