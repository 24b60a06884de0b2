/* layer-main.c — the empty program each layer is linked into whole
 * (protocol/meson.build): an undefined symbol there is a call to a layer
 * this one may not use. */
int
main (void)
{
  return 0;
}
