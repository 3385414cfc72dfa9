// placeholder
export function floodView(v) {
  return { load: async () => {}, draw: () => { v.drawn(); } };
}
