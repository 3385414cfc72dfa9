// placeholder
export function kelipsView(v) {
  return { load: async () => {}, draw: () => { v.drawn(); } };
}
