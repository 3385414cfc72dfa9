// placeholder
export function pastryView(v) {
  return { load: async () => {}, draw: () => { v.drawn(); } };
}
